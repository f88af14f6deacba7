import 'reflect-metadata';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import './modules/common/enums.js';
import { CaseNoteResolver, CaseResolver } from './modules/case/case.resolver.js';
import { HouseholdResolver, ResidentResolver } from './modules/household/household.resolver.js';
import { MeResolver, OrganisationResolver, StaffResolver, TeamResolver } from './modules/staff/staff.resolver.js';
import { ReferralResolver } from './modules/referral/referral.resolver.js';
import { ConsentResolver } from './modules/consent/consent.resolver.js';
import { FeedbackResolver, WorkerChangeResolver } from './modules/feedback/feedback.resolver.js';
import { AccessReportResolver } from './modules/audit/access-report.resolver.js';
import { InformalCareRequestResolver, VolunteerMatchResolver, VolunteerResolver } from './modules/informal-care/informal-care.resolver.js';
import { InformalCareOperationsResolver } from './modules/informal-care/informal-care.operations.js';
import { FlexAssignmentResolver } from './modules/flex/flex.service.js';
import { CaseCountsResolver, TeamCaseCountsResolver } from './modules/report/case-counts.js';
import { QuarterReportResolver, QuarterTeamFiguresResolver } from './modules/report/quarter-report.js';
import { ResidentsRightsResolver } from './modules/household/residents-rights.js';
import { IntegrationResolver } from './modules/integration/integration.resolver.js';
import { ruleTree } from './permissions/permissions.js';
import { applyPermissions } from './permissions/guard.js';
import { useDirectFieldResolvers } from './direct-field-resolvers.js';

export const resolvers = [
  TeamResolver,
  MeResolver,
  StaffResolver,
  OrganisationResolver,
  HouseholdResolver,
  ResidentResolver,
  CaseResolver,
  CaseNoteResolver,
  ReferralResolver,
  ConsentResolver,
  FeedbackResolver,
  WorkerChangeResolver,
  AccessReportResolver,
  InformalCareRequestResolver,
  VolunteerResolver,
  VolunteerMatchResolver,
  InformalCareOperationsResolver,
  FlexAssignmentResolver,
  CaseCountsResolver,
  TeamCaseCountsResolver,
  QuarterReportResolver,
  QuarterTeamFiguresResolver,
  ResidentsRightsResolver,
  IntegrationResolver,
] as const;

/** type-graphql's own defaults for class-validator (validate-arg.js), with unknown values allowed. */
const VALIDATOR_OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };

/**
 * Input validation with class-validator, as type-graphql's `validate` option does it, but
 * synchronously and without type-graphql's `await import('class-validator')` on every argument
 * of every call (under the tsx loader each such import is a round trip to the loader's thread).
 */
function validateInput(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const items = Array.isArray(value) ? value.filter((v) => v !== null && typeof v === 'object') : [value];
  const errors = items.flatMap((item) => validateSync(item as object, VALIDATOR_OPTIONS));
  if (errors.length) throw new ArgumentValidationError(errors);
}

async function build(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...resolvers] as unknown as [Function, ...Function[]],
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // type-graphql 2 does not validate inputs unless told to.
    validateFn: validateInput,
    emitSchemaFile: false,
    // No globalMiddlewares and no authChecker: useDirectFieldResolvers relies on that.
  });
  useDirectFieldResolvers(schema);
  return schema;
}

let cached: Promise<GraphQLSchema> | undefined;

/** The schema as type-graphql builds it from the code, without permissions (what schema.graphql shows). */
export function buildBareSchema(): Promise<GraphQLSchema> {
  cached ??= build();
  return cached;
}

/** The executable schema: a fresh build with every field wrapped by the deny-by-default guard. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  return applyPermissions(await build(), ruleTree);
}
