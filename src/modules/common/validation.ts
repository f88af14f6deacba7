import { BadInputError } from './errors.js';
import { isValidDateString } from './scalars.js';

/** Service-level input rules that class-validator cannot express. Each names its field. */

/**
 * C0 control characters but the whitespace ones (tab, line feed, vertical tab — Word's manual
 * line break —, form feed, carriage return); U+0000 PostgreSQL cannot store at all.
 */
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/;

export function text(field: string, value: string, { min = 1, max }: { min?: number; max: number }): string {
  if (CONTROL.test(value)) throw new BadInputError(field, 'must not contain control characters');
  const v = value.trim();
  if (v.length < min) throw new BadInputError(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (v.length > max) throw new BadInputError(field, `must be at most ${max} characters`);
  return v;
}

export function optionalText(field: string, value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return text(field, value, { max });
}

/** A moment that has already happened (registration, first contact, closure …). */
export function notInFuture(field: string, at: Date, now = new Date()): Date {
  if (Number.isNaN(at.getTime())) throw new BadInputError(field, 'is not a valid date-time');
  // A minute of slack for clocks of clients that run slightly ahead.
  if (at.getTime() > now.getTime() + 60_000) throw new BadInputError(field, 'must not lie in the future');
  return at;
}

export function notBefore(field: string, at: Date, earliest: Date, earliestName: string): void {
  if (at.getTime() < earliest.getTime()) throw new BadInputError(field, `must not be before ${earliestName}`);
}

export function pastDate(field: string, date: string, today = new Date()): string {
  if (!isValidDateString(date)) throw new BadInputError(field, 'must be a date YYYY-MM-DD');
  if (date > today.toISOString().slice(0, 10)) throw new BadInputError(field, 'must not lie in the future');
  if (date < '1900-01-01') throw new BadInputError(field, 'must not be before 1900-01-01');
  return date;
}

export function intInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadInputError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Postcodes are accepted as 1234AB or 1234 AB and stored as 1234AB. */
export function normalisePostcode(field: string, raw: string): string {
  const v = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[1-9]\d{3}[A-Z]{2}$/.test(v) || /^\d{4}(SA|SD|SS)$/.test(v)) {
    throw new BadInputError(field, 'must be a Dutch postcode like 1234AB');
  }
  return v;
}

export function houseNumber(field: string, raw: string): string {
  const v = raw.trim();
  if (!/^\d{1,5}([-\s]?[0-9A-Za-z]{1,6})?$/.test(v)) throw new BadInputError(field, 'must be a house number like 12 or 12-3');
  return v;
}

export function phone(field: string, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const v = raw.trim();
  if (!/^\+?[0-9][0-9 \-()]{5,19}$/.test(v)) throw new BadInputError(field, 'must be a phone number like 06-12345678 or +31612345678');
  return v;
}

export function languages(field: string, list: string[] | null | undefined): string[] {
  const out = (list ?? []).map((l, i) => text(`${field}.${i}`, l, { max: 40 }));
  if (out.length > 20) throw new BadInputError(field, 'must list at most 20 languages');
  return [...new Set(out)];
}
