import pino from 'pino';

/**
 * One logger for the process. Never log personal data: log ids, codes and counts.
 * The redact list is a second wall for fields that must never appear.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'voordeur' },
  redact: {
    paths: ['*.bsn', '*.phone', '*.givenName', '*.familyName', '*.birthDate', '*.authorization', 'req.headers.authorization'],
    censor: '[redacted]',
  },
});
export type { Logger } from 'pino';
