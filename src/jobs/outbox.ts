import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from './outbox.entity.js';

export type OutboxPayload = Record<string, string | number | boolean | null>;

const UUID_OR_SCALAR = /^[0-9a-f-]{36}$|^[A-Z_]{1,64}$|^\d{4}-\d{2}-\d{2}/i;

/**
 * Queues a message in the caller's transaction (pass the transaction's EntityManager): it
 * is persisted with the domain change or not at all. The payload must hold ids (and
 * enum-like codes or dates) only; anything that looks like free text is refused so personal
 * data cannot reach Redis by accident.
 */
export function writeOutbox(em: EntityManager, topic: string, payload: OutboxPayload, availableAt?: Date): OutboxMessage {
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value === 'string' && !UUID_OR_SCALAR.test(value)) {
      throw new Error(`outbox payload field "${key}" must be an id, a code or a date, not free text`);
    }
  }
  return em.create(OutboxMessage, { topic, payload, ...(availableAt ? { availableAt } : {}) });
}
