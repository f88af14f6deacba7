/**
 * Adversarial review probes: consent and erasure against the outbound sync jobs. "Revoking it
 * takes effect on the next request" (DESIGN.md 2) must hold for a Task push that was queued
 * (outbox → BullMQ) while the consent was active and is processed after the revocation or the
 * erasure, and for a retry of a push that first failed. Every probe asserts the SAFE behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildCase, buildConsent, buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { dumpPrefix, jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Consent } from '../../src/modules/consent/consent.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';

let hub: TestHub;
let h: Harness;
const tokens: Record<string, string> = {};
const COORD = 'Coördinator Intrekkingstoets';
const COORD_PHONE = '030-9988776';
const RA = { givenName: 'Annegonda', familyName: 'Intrekkerink', birthDate: '1949-04-04', bsn: makeBsn(717171), phone: '06-71000001' };
const RB = { givenName: 'Bartholomea', familyName: 'Wisverzoekers', birthDate: '1953-05-05', bsn: makeBsn(727272), phone: '06-72000002' };
const RC = { givenName: 'Cornelisje', familyName: 'Herhaalpoging', birthDate: '1957-06-06', bsn: null, phone: '06-73000003' };
const PERSONAL = [RA.givenName, RA.familyName, RA.bsn, RA.phone, RB.givenName, RB.familyName, RB.bsn, RB.phone, RC.givenName, RC.familyName, RC.phone, 'Wisstraatje'];

let refA: Referral, refB: Referral, refC: Referral;
let consentA: Consent, consentC: Consent;
let rB: Resident;

const TRIAGE = 'mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status } }';
async function triage(id: string, status: ReferralStatus) {
  const res = await hub.gql(TRIAGE, { input: { referralId: id, status } }, tokens.worker);
  expect(res.errors).toBeUndefined();
}
const tasks = (r: Referral) => h.huisarts.effectsFor(`/Task/${r.id}`);

async function outboxPublished(referralId: string) {
  await waitFor('outbox published', async () => {
    const [row] = await hub.em().getConnection().execute<{ n: number }[]>(
      `select count(*)::int as n from outbox where payload->>'referralId' = ? and published_at is null`,
      [referralId],
    );
    return row!.n === 0;
  });
}

beforeAll(async () => {
  // Retries wait long enough that a revocation can land between two attempts.
  hub = await startTestHub(jobsOverrides(redisUrl(), { JOB_BACKOFF_MS: '1500', JOB_BACKOFF_MAX_MS: '3000' }));
  const em = hub.em();
  const team = buildTeam(em, { postcodes: ['3563'] });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01717171' });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  const coordinator = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: COORD, phone: COORD_PHONE });
  const key = hub.config.BSN_KEY;
  const a = buildHousehold(em, { team, postcode: '3563AA', members: [RA], bsnKey: key });
  const b = buildHousehold(em, { team, street: 'Wisstraatje', postcode: '3563BB', members: [RB], bsnKey: key });
  const c = buildHousehold(em, { team, postcode: '3563CC', members: [RC], bsnKey: key });
  rB = b.head;
  const caseA = buildCase(em, { household: a.household, status: CaseStatus.ACTIVE, coordinator });
  const caseB = buildCase(em, { household: b.household, status: CaseStatus.ACTIVE, coordinator });
  const caseC = buildCase(em, { household: c.household, status: CaseStatus.ACTIVE, coordinator });
  const day = new Date(Date.now() - 86_400_000);
  consentA = buildConsent(em, { resident: a.head, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM, grantedAt: day });
  buildConsent(em, { resident: b.head, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM, grantedAt: day });
  consentC = buildConsent(em, { resident: c.head, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM, grantedAt: day });
  refA = buildReferral(em, { from: gp, resident: a.head, case: caseA, status: ReferralStatus.RECEIVED });
  refB = buildReferral(em, { from: gp, resident: b.head, case: caseB, status: ReferralStatus.RECEIVED });
  refC = buildReferral(em, { from: gp, resident: c.head, case: caseC, status: ReferralStatus.RECEIVED });
  await em.flush();
  tokens.worker = await hub.tokenFor(worker);
  tokens.lead = await hub.tokenFor(lead);
  h = await startHarness(hub.db.orm, hub.config);
});

afterAll(async () => {
  await h?.stop();
  await hub?.stop();
});

describe('a push queued while the consent was active, processed after it ended', () => {
  it('control: with an active consent the push carries the coordinator', async () => {
    await h.start({ schedulers: false });
    await triage(refC.id, ReferralStatus.TRIAGED);
    const [t] = await waitFor('the consented Task', () => (tasks(refC).length >= 1 ? tasks(refC) : null));
    expect(JSON.stringify(t!.body)).toContain(COORD);
    await h.stopJobs();
  });

  it('revoked (through the graph) between enqueue and processing: the Task carries no coordinator, no disclosure is logged', async () => {
    await h.start({ schedulers: false, workers: false }); // relay only: the job waits in Redis
    await triage(refA.id, ReferralStatus.TRIAGED);
    await outboxPublished(refA.id);
    const disclosuresBefore = await hub.em().getConnection().execute<{ n: number }[]>('select count(*)::int as n from disclosure where resident_id = ?', [refA.resident!.id]);
    const rev = await hub.gql('mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }', { id: consentA.id }, tokens.worker);
    expect(rev.errors).toBeUndefined();
    await h.stopJobs();
    await h.start({ schedulers: false }); // now the workers take the queued job
    const [t] = await waitFor('the Task after revocation', () => (tasks(refA).length >= 1 ? tasks(refA) : null));
    expect((t!.body as Record<string, unknown>).owner, 'coordinator sent after the consent was revoked').toBeUndefined();
    expect(JSON.stringify(t!.body)).not.toContain(COORD_PHONE);
    const after = await hub.em().getConnection().execute<{ n: number }[]>('select count(*)::int as n from disclosure where resident_id = ?', [refA.resident!.id]);
    expect(after[0]!.n).toBe(disclosuresBefore[0]!.n);
    await h.stopJobs();
  });

  it('erased between enqueue and processing: the Task carries no coordinator and nothing of the resident', async () => {
    await h.start({ schedulers: false, workers: false });
    await triage(refB.id, ReferralStatus.TRIAGED);
    await outboxPublished(refB.id);
    const erased = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: rB.id }, tokens.lead);
    expect(erased.data?.eraseResident.outcome).toBe('ANONYMISED');
    await h.stopJobs();
    await h.start({ schedulers: false });
    const [t] = await waitFor('the Task after erasure', () => (tasks(refB).length >= 1 ? tasks(refB) : null));
    expect((t!.body as Record<string, unknown>).owner, 'coordinator sent for an erased resident').toBeUndefined();
    for (const s of [COORD, COORD_PHONE, RB.givenName, RB.familyName, RB.phone]) expect(JSON.stringify(t!.body)).not.toContain(s);
    await h.stopJobs();
  });

  it('a push that failed once with the consent active and is retried after the revocation carries no coordinator', async () => {
    // A new status for refC: its first attempt is refused (503, Retry-After 2 s), then the consent is revoked.
    h.huisarts.setFaults({ failNext: [{ status: 503, match: `/Task/${refC.id}`, count: 1, retryAfter: 2 }] });
    const before = tasks(refC).length;
    const requestsBefore = h.huisarts.requests;
    await h.start({ schedulers: false });
    await triage(refC.id, ReferralStatus.IN_CARE);
    await waitFor('the refused first attempt', () => h.huisarts.requests > requestsBefore);
    expect(tasks(refC).length).toBe(before);
    const rev = await hub.gql('mutation($id: ID!) { revokeConsent(id: $id) { id } }', { id: consentC.id }, tokens.worker);
    expect(rev.errors).toBeUndefined();
    const list = await waitFor('the retried Task', () => (tasks(refC).length > before ? tasks(refC) : null), 20_000);
    const retried = list[list.length - 1]!;
    expect((retried.body as Record<string, unknown>).owner, 'coordinator sent on a retry after the revocation').toBeUndefined();
    expect(JSON.stringify(retried.body)).not.toContain(COORD_PHONE);
    await h.stopJobs();
  });
});

describe('Redis and the outbox after revocation and erasure', () => {
  it('outbox payloads and everything under the BullMQ prefix hold ids only: nothing of the residents', async () => {
    const rows = await hub.em().getConnection().execute<{ p: string }[]>('select payload::text as p from outbox');
    expect(rows.length).toBeGreaterThan(0);
    for (const { p } of rows) {
      for (const v of Object.values(JSON.parse(p) as Record<string, unknown>)) expect(String(v)).toMatch(/^[0-9a-f-]{36}$|^[A-Z_]+$|^\d{4}-\d{2}-\d{2}/);
    }
    const dump = await dumpPrefix(hub.config.REDIS_URL, hub.config.BULLMQ_PREFIX);
    expect(dump.length).toBeGreaterThan(100);
    for (const s of [...PERSONAL, COORD, COORD_PHONE]) expect(dump, s).not.toContain(s);
  });
});
