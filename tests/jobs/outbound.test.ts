/**
 * Outbound status pushes end to end: triage in the graph → outbox → relay → BullMQ → worker
 * → simulator. Contents respect consent at send time, corporations hear the folded status
 * only, 503 and 429 are retried (Retry-After honoured), a 400 fails at once and can be
 * retried by an admin, and Redis holds no personal data afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildCase, buildConsent, buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { Disclosure } from '../../src/modules/audit/access-log.entity.js';
import { Consent } from '../../src/modules/consent/consent.entity.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { dumpPrefix, jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';

let hub: TestHub;
let h: Harness;
const tokens: Record<string, string> = {};
let withConsent: Referral;
let withoutConsent: Referral;
let corpReferral: Referral;
/** Submitted through the partners' apps (no partner system): never pushed. */
let gpAppReferral: Referral;
let corpAppReferral: Referral;
let consentId: string;
const COORDINATOR = 'Coördinator Tandemvoorbeeld';
const COORDINATOR_PHONE = '030-7654321';
const PERSONAL = ['Rozemarijn', 'Vlieghuis', 'Barendina', 'Kuipershoek', 'Lodewijka', '1944-11-30', makeBsn(777)];

const TRIAGE = `mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status } }`;
async function triage(id: string, status: ReferralStatus, extra: Record<string, unknown> = {}) {
  const res = await hub.gql(TRIAGE, { input: { referralId: id, status, ...extra } }, tokens.worker);
  expect(res.errors).toBeUndefined();
  return Date.now();
}
const attempt = { contactAttempt: { kind: 'PHONE', at: new Date(Date.now() - 60_000).toISOString(), reached: false } };

beforeAll(async () => {
  hub = await startTestHub(jobsOverrides(redisUrl()));
  const em = hub.em();
  const team = buildTeam(em, { postcodes: ['3562'] });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  const corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const coordinator = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: COORDINATOR, phone: COORDINATOR_PHONE });
  const admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  const a = buildHousehold(em, { team, members: [{ givenName: 'Rozemarijn', familyName: 'Vlieghuis', birthDate: '1944-11-30', bsn: PERSONAL[6]! }], bsnKey: hub.config.BSN_KEY });
  const b = buildHousehold(em, { team, members: [{ givenName: 'Barendina', familyName: 'Kuipershoek', bsn: null }] });
  const c = buildHousehold(em, { team, members: [{ givenName: 'Lodewijka', familyName: 'Kuipershoek', bsn: null }] });
  const caseA = buildCase(em, { household: a.household, status: CaseStatus.ACTIVE, coordinator });
  const caseB = buildCase(em, { household: b.household, status: CaseStatus.ACTIVE, coordinator });
  consentId = buildConsent(em, { resident: a.head, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM, grantedAt: new Date(Date.now() - 86_400_000) }).id;
  withConsent = buildReferral(em, { from: gp, resident: a.head, household: a.household, case: caseA, status: ReferralStatus.RECEIVED });
  withoutConsent = buildReferral(em, { from: gp, resident: b.head, household: b.household, case: caseB, status: ReferralStatus.RECEIVED });
  corpReferral = buildReferral(em, { from: corp, resident: c.head, household: c.household, status: ReferralStatus.RECEIVED });
  // The same residents (GP_TANDEM consent, an open case with a coordinator), but sent through
  // the apps: in the partner systems their externalIds may well be another sender's records.
  gpAppReferral = buildReferral(em, { from: gp, resident: a.head, household: a.household, case: caseA, status: ReferralStatus.RECEIVED, partnerSystem: null });
  corpAppReferral = buildReferral(em, { from: corp, resident: c.head, household: c.household, status: ReferralStatus.RECEIVED, partnerSystem: null });
  await em.flush();
  tokens.worker = await hub.tokenFor(worker);
  tokens.admin = await hub.tokenFor(admin);
  h = await startHarness(hub.db.orm, hub.config);
  await h.start({ schedulers: false });
});

afterAll(async () => {
  await h?.stop();
  await hub?.stop();
});

const taskEffects = (r: Referral) => h.huisarts.effectsFor(`/Task/${r.id}`);

describe('status pushes to the GP system', () => {
  it('sends the coordinator only with an active GP_TANDEM consent, and logs the disclosure', async () => {
    await triage(withConsent.id, ReferralStatus.TRIAGED);
    await triage(withoutConsent.id, ReferralStatus.TRIAGED);
    const [sent] = await waitFor('the consented push', () => (taskEffects(withConsent).length === 1 ? taskEffects(withConsent) : null));
    const [bare] = await waitFor('the bare push', () => (taskEffects(withoutConsent).length === 1 ? taskEffects(withoutConsent) : null));
    expect(sent!.body).toMatchObject({ resourceType: 'Task', status: 'accepted', owner: { display: COORDINATOR } });
    expect(JSON.stringify(sent!.body)).toContain(COORDINATOR_PHONE);
    expect(bare!.body).toMatchObject({ resourceType: 'Task', status: 'accepted' });
    expect((bare!.body as Record<string, unknown>).owner).toBeUndefined();
    expect(JSON.stringify(bare!.body)).not.toContain(COORDINATOR);
    for (const e of [sent!, bare!]) expect(JSON.stringify(e.body)).not.toMatch(/Rozemarijn|Vlieghuis|Barendina|Kuipershoek|1944/);
    const disclosures = await waitFor('a disclosure row', async () => {
      const rows = await hub.em().find(Disclosure, { residentId: withConsent.resident!.id });
      return rows.length ? rows : null;
    });
    expect(disclosures[0]!.purpose).toBe(ConsentPurpose.GP_TANDEM);
    expect(await hub.em().count(Disclosure, { residentId: withoutConsent.resident!.id })).toBe(0);

    // Revoked: the next push is bare again (checked at send time).
    await hub.em().nativeUpdate(Consent, { id: consentId }, { revokedAt: new Date(Date.now() - 1000) });
    await triage(withConsent.id, ReferralStatus.CONTACT_ATTEMPTED, attempt);
    const effects = await waitFor('the push after revocation', () => (taskEffects(withConsent).length === 2 ? taskEffects(withConsent) : null));
    expect(effects[1]!.body).toMatchObject({ status: 'in-progress' });
    expect(JSON.stringify(effects[1]!.body)).not.toContain(COORDINATOR);
  });

  it('retries 503s and honours a 429 Retry-After, with one effect at the partner', async () => {
    h.huisarts.setFaults({ failNext: [{ status: 503, match: `/Task/${withoutConsent.id}`, count: 2 }] });
    await triage(withoutConsent.id, ReferralStatus.CONTACT_ATTEMPTED, attempt);
    await waitFor('the push after two 503s', () => taskEffects(withoutConsent).length === 2);
    expect(taskEffects(withoutConsent)[1]!.body).toMatchObject({ status: 'in-progress' });

    h.huisarts.setFaults({ failNext: [{ status: 429, match: `/Task/${withoutConsent.id}`, retryAfter: 1 }] });
    const t0 = await triage(withoutConsent.id, ReferralStatus.NOT_REACHED);
    await waitFor('the push after a 429', () => taskEffects(withoutConsent).length === 3);
    // Backoff alone would retry within 400 ms (JOB_BACKOFF_MAX_MS); Retry-After said 1 s.
    expect(taskEffects(withoutConsent)[2]!.at.getTime() - t0).toBeGreaterThanOrEqual(900);
    expect(taskEffects(withoutConsent)[2]!.body).toMatchObject({ status: 'rejected' });
  });

  it('fails a 400 at once (UnrecoverableError), shows it to ADMIN, and retryFailedJob delivers it', async () => {
    h.huisarts.setFaults({ failNext: [{ status: 400, match: `/Task/${withConsent.id}` }] });
    await triage(withConsent.id, ReferralStatus.NOT_REACHED);
    const QUERY = `query { integrations { partner failedJobs failures(first: 20) { id jobName failedReason attemptsMade failedAt } } }`;
    const failure = await waitFor('a failed job', async () => {
      const res = await hub.gql(QUERY, {}, tokens.admin);
      const gp = res.data?.integrations.find((i: { partner: string }) => i.partner === 'huisarts');
      return gp?.failures.length ? gp.failures[0] : null;
    });
    expect(failure).toMatchObject({ jobName: 'referral.status-changed', attemptsMade: 1 });
    expect(failure.failedReason).toContain('HTTP 400');
    expect(taskEffects(withConsent)).toHaveLength(2);
    const retry = await hub.gql(`mutation($id: ID!) { retryFailedJob(id: $id) }`, { id: failure.id }, tokens.admin);
    expect(retry.errors).toBeUndefined();
    await waitFor('the retried push', () => taskEffects(withConsent).length === 3);
    expect(taskEffects(withConsent)[2]!.body).toMatchObject({ status: 'rejected' });
    const denied = await hub.gql(`mutation($id: ID!) { retryFailedJob(id: $id) }`, { id: failure.id }, tokens.worker);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('feedback to the corporation', () => {
  it('is the folded status only', async () => {
    await triage(corpReferral.id, ReferralStatus.CONTACT_ATTEMPTED, attempt);
    await waitFor('feedback', () => h.corporation.effectsFor(`/signals/${corpReferral.externalId}/feedback`).length === 1);
    await triage(corpReferral.id, ReferralStatus.DECLINED);
    const fb = await waitFor('folded feedback', () => {
      const e = h.corporation.effectsFor(`/signals/${corpReferral.externalId}/feedback`);
      return e.length === 2 ? e : null;
    });
    expect(fb.map((e) => e.body)).toEqual([{ status: 'CONTACT_ATTEMPTED' }, { status: 'CLOSED' }]);
  });
});

describe('referrals submitted through the apps', () => {
  it('are pushed to no partner system: no Task, no feedback, no coordinator, no disclosure', async () => {
    const disclosuresBefore = await hub.em().count(Disclosure, { residentId: gpAppReferral.resident!.id });
    await triage(gpAppReferral.id, ReferralStatus.TRIAGED);
    await triage(corpAppReferral.id, ReferralStatus.CONTACT_ATTEMPTED, attempt);
    const conn = hub.em().getConnection();
    const outboxIds = (
      await conn.execute<{ id: string }[]>(`select id from outbox where payload->>'referralId' in (?, ?)`, [gpAppReferral.id, corpAppReferral.id])
    ).map((r) => r.id);
    expect(outboxIds).toHaveLength(2);
    // Routed to the internal queue, where a status change without a partner system is a no-op.
    for (const id of outboxIds) {
      await waitFor(`job ${id} done`, async () => (await (await h.jobs!.queues.get('internal').getJob(id))?.getState()) === 'completed');
      expect(await h.jobs!.queues.get('huisarts').getJob(id)).toBeUndefined();
      expect(await h.jobs!.queues.get('corporation').getJob(id)).toBeUndefined();
    }
    expect(taskEffects(gpAppReferral)).toEqual([]);
    const onPath = h.corporation.effectsFor(`/signals/${corpAppReferral.externalId}/feedback`);
    expect(onPath).toEqual([]);
    expect(await hub.em().count(Disclosure, { residentId: gpAppReferral.resident!.id })).toBe(disclosuresBefore);
    for (const e of h.huisarts.effects) expect(JSON.stringify(e.body)).not.toContain(gpAppReferral.id);
  });
});

describe('Redis', () => {
  it('holds no personal data after all of this', async () => {
    const dump = await dumpPrefix(hub.config.REDIS_URL, hub.config.BULLMQ_PREFIX);
    expect(dump.length).toBeGreaterThan(100);
    for (const value of [...PERSONAL, COORDINATOR, COORDINATOR_PHONE, withConsent.subjectPostcode]) expect(dump).not.toContain(value);
  });
});
