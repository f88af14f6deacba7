/** What the housing corporation's system sends: pages of arrears signals (vroegsignalen). */
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const SignalSchema = z.object({
  id: z.string().min(1).max(100).regex(/^[\w.:/-]+$/),
  corporation: z.string().min(1).max(64),
  reportedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an instant'),
  tenant: z.object({
    givenName: z.string().min(1).max(100),
    familyName: z.string().min(1).max(100),
    birthDate: date.nullable().optional(),
    postcode: z.string().min(4).max(8),
    houseNumber: z.string().min(1).max(16),
  }),
  arrears: z.object({ amount: z.number().positive(), since: date, months: z.number().int().min(1).max(120).nullable().optional() }),
  consentObtained: z.boolean().optional(),
});
export type Signal = z.infer<typeof SignalSchema>;

export const SignalPageSchema = z.object({
  signals: z.array(z.unknown()),
  nextCursor: z.string().nullable(),
  hasMore: z.boolean(),
});

/** Statuses the corporation may hear: DESIGN.md's folded view, nothing else. */
export const FEEDBACK_STATUSES = ['RECEIVED', 'CONTACT_ATTEMPTED', 'IN_CARE', 'NOT_REACHED', 'CLOSED'] as const;
