/**
 * What the GP system (FHIR R4 flavour) sends, validated. A bundle that does not parse fails
 * the poll (the partner is broken); a single ServiceRequest that does not parse is parked.
 */
import { z } from 'zod';

export const AGB_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/agb-z';
export const ORGANISATION_CODE_SYSTEM = 'urn:voordeur:organisation-code';
export const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';
export const CONSENT_EXTENSION = 'urn:voordeur:fhir:consent-obtained';
export const HOUSE_NUMBER_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an instant');

export const IdentifierSchema = z.object({ system: z.string().min(1), value: z.string().min(1).max(100) });

export const PatientSchema = z.object({
  resourceType: z.literal('Patient'),
  id: z.string().min(1),
  identifier: z.array(IdentifierSchema).optional(),
  name: z.array(z.object({ family: z.string().min(1).max(100), given: z.array(z.string().min(1).max(100)).min(1) })).min(1),
  birthDate: date,
  telecom: z.array(z.object({ system: z.string(), value: z.string().max(32) })).optional(),
  address: z
    .array(
      z.object({
        line: z.array(z.string()).optional(),
        postalCode: z.string().min(4).max(8),
        extension: z.array(z.object({ url: z.string(), valueString: z.string().max(16) })).optional(),
      }),
    )
    .min(1),
});

export const ServiceRequestSchema = z.object({
  resourceType: z.literal('ServiceRequest'),
  id: z.string().min(1).max(100).regex(/^[\w.:/-]+$/),
  meta: z.object({ lastUpdated: instant }),
  status: z.enum(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']),
  intent: z.string().min(1),
  priority: z.enum(['routine', 'urgent', 'asap', 'stat']).optional(),
  requester: z.object({ identifier: IdentifierSchema, display: z.string().optional() }),
  subject: z.object({ reference: z.string().min(1) }),
  contained: z.array(z.unknown()).min(1),
  reasonCode: z.array(z.object({ text: z.string().min(1).max(2000) })).min(1),
  extension: z.array(z.object({ url: z.string(), valueBoolean: z.boolean().optional() })).optional(),
});
export type ServiceRequest = z.infer<typeof ServiceRequestSchema>;
export type Patient = z.infer<typeof PatientSchema>;

export const BundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.number().int().optional(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.unknown() })).optional(),
});

/** The GP system's answer to a Task PUT. */
export const TaskAnswerSchema = z.object({ resourceType: z.string(), id: z.string().optional(), status: z.string().optional() });

export const TASK_STATUSES = ['accepted', 'in-progress', 'completed', 'rejected', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
