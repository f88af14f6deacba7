import { Field, ObjectType } from 'type-graphql';
import type { Context } from '../../context.js';
import { AccessAction, Role } from '../common/enums.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Resident } from '../household/resident.entity.js';
import { residentById } from '../household/household.service.js';
import { scope } from '../../permissions/scope.js';
import { AccessLog, Disclosure } from './access-log.entity.js';

@ObjectType({ description: 'Who touched the data.' })
export class AccessActor {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => String, { nullable: true, description: 'Organisation name, for principals outside the team organisation.' })
  organisation?: string | null;
}

@ObjectType({ description: 'One audited read or change of the resident\'s data.' })
export class AccessEntry {
  @Field(() => Date)
  at!: Date;

  @Field(() => AccessAction)
  action!: AccessAction;

  @Field(() => String)
  objectType!: string;

  @Field(() => String)
  purpose!: string;

  @Field(() => AccessActor)
  actor!: AccessActor;
}

@ObjectType({ description: 'Data that left the hub for a partner.' })
export class DisclosureEntry {
  @Field(() => Date)
  at!: Date;

  @Field(() => String)
  purpose!: string;

  @Field(() => Organisation)
  recipient!: Organisation;

  @Field(() => String, { description: 'What was disclosed, e.g. "coordinator name and phone".' })
  what!: string;
}

@ObjectType({ description: 'AVG/GDPR art. 15: what is held about a resident, who read or changed it, and what partners received.' })
export class AccessReport {
  @Field(() => Resident)
  resident!: Resident;

  @Field(() => [AccessEntry])
  entries!: AccessEntry[];

  @Field(() => [DisclosureEntry])
  disclosures!: DisclosureEntry[];
}

const MAX_ENTRIES = 1000;

/**
 * The report itself is audited as EXPORT. It is served by the resident's own team only
 * (DESIGN.md: a resident's rights are served through their team): it lists every audited
 * object of the household, so a flex worker, who sees only the cases assigned to them, would
 * learn of the household's other cases and who read them. The rule refuses flex workers; the
 * lookup is limited to the own teams' residents as well, so the query itself cannot reach
 * further.
 */
export async function accessReport(ctx: Context, residentId: string): Promise<AccessReport> {
  const resident = await residentById(ctx, residentId, scope(ctx).teamResidents());
  const householdId = resident.household.id;
  // A referral is read (by its sender, by the team it first went to) before it is linked to the
  // household: those rows carry no household, and the log is append-only, so they are found
  // through the referrals linked now. Not an erasure's row: another team's erasure of the same
  // subject (audited without a household, README Residents' rights) is not this team's to see,
  // nor a refused attempt: DENIED rows carry no household because no access report shows them
  // (another team's worker or another practice probing the referral's id is not this team's).
  const earlier = await ctx.em.getConnection().execute<{ id: string }[]>(
    `select l.id from access_log l
      where l.household_id is null and l.object_type = 'Referral' and l.detail->>'erasure' is null and l.action <> 'DENIED'
        and l.object_id in (select id::text from referral where household_id = ? or resident_id = ?)`,
    [householdId, resident.id],
  );
  const beforeLinking = earlier.length ? [{ id: { $in: earlier.map((r) => r.id) } }] : [];
  const [logs, disclosures] = await Promise.all([
    ctx.em.find(AccessLog, { $or: [{ householdId }, ...beforeLinking] }, { orderBy: { at: 'desc', id: 'desc' }, limit: MAX_ENTRIES }),
    ctx.em.find(Disclosure, { residentId: resident.id }, { orderBy: { at: 'desc', id: 'desc' }, limit: MAX_ENTRIES }),
  ]);
  const recipients = await Promise.all(disclosures.map((d) => ctx.loaders.organisation.load(d.recipientId)));
  ctx.audit.export('AccessReport', resident.id, householdId);
  return {
    resident,
    entries: logs.map((l) => ({
      at: l.at,
      action: l.action,
      objectType: l.objectType,
      purpose: l.purpose,
      actor: { name: l.actorName, role: l.actorRole, organisation: l.organisation },
    })),
    disclosures: disclosures.flatMap((d, i) => {
      const recipient = recipients[i];
      return recipient ? [{ at: d.at, purpose: d.purpose, recipient, what: d.what }] : [];
    }),
  };
}
