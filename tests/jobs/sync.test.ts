/**
 * Polling the partner systems: cursor across a restart (nothing imported twice), duplicates
 * and malformed records (parked, the sync goes on), GP practices by AGB or organisation code,
 * matching to a known resident, and the admin view and metrics of it all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildHousehold, buildOrganisation, buildStaff, buildTeam } from '../../seeds/factories.js';
import { OrganisationKind, ReferralKind, Role } from '../../src/modules/common/enums.js';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import { SyncState } from '../../src/jobs/sync-state.entity.js';
import { ParkedRecord } from '../../src/jobs/parked-record.entity.js';
import { AGB_SYSTEM, ORGANISATION_CODE_SYSTEM } from '../../integrations/huisarts/schemas.js';
import { jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import { intakeReferral, normaliseSubmission } from '../../src/modules/referral/referral-intake.js';
import { AuditTrail } from '../../src/modules/audit/audit-trail.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';

let hub: TestHub;
let h: Harness;
let team: Team;
let gp: Organisation;
let corp: Organisation;
let resident: Resident;
let adminToken: string;

const AGB = '01999991';

beforeAll(async () => {
  hub = await startTestHub(jobsOverrides(redisUrl()));
  const em = hub.em();
  team = buildTeam(em, { postcodes: ['3562'] });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-sync-test', agbCode: AGB });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION, code: 'corp-sync-test' });
  const admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  const built = buildHousehold(em, {
    team,
    postcode: '3562AB',
    houseNumber: '12',
    members: [{ givenName: 'Wendelien', familyName: 'Okkerse', birthDate: '1961-04-02', bsn: null }],
  });
  resident = built.head;
  await em.flush();
  adminToken = await hub.tokenFor(admin);
  h = await startHarness(hub.db.orm, hub.config);
});

afterAll(async () => {
  await h?.stop();
  await hub?.stop();
});

const count = (where: object) => hub.em().count(Referral, where);

describe('polling with a stored cursor', () => {
  it('imports every ServiceRequest once, resumes after a restart from the cursor, and matches known residents', async () => {
    for (let i = 0; i < 7; i++) {
      h.huisarts.addServiceRequest({
        id: `SR-A${i}`,
        requester: i % 2 ? { system: AGB_SYSTEM, value: AGB } : { system: ORGANISATION_CODE_SYSTEM, value: gp.code },
        postcode: '3562 CD',
      });
    }
    // Same person as the known resident (case of the name differs: still a match).
    h.huisarts.addServiceRequest({
      id: 'SR-MATCH',
      requester: { system: AGB_SYSTEM, value: AGB },
      givenName: 'wendelien',
      familyName: 'Okkerse',
      birthDate: '1961-04-02',
      postcode: '3562AB',
      houseNumber: '12',
      bsn: null,
    });
    await h.start();
    await waitFor('8 GP referrals', async () => (await count({ from: gp.id })) === 8);
    const matched = await hub.em().findOneOrFail(Referral, { externalId: 'SR-MATCH', from: gp.id });
    expect(matched.resident?.id).toBe(resident.id);
    expect(matched.team.id).toBe(team.id);
    const unmatched = await hub.em().findOneOrFail(Referral, { externalId: 'SR-A0', from: gp.id });
    expect(unmatched.resident ?? null).toBeNull();
    expect(unmatched.team.id).toBe(team.id); // routed by postcode area 3562

    const state = await waitFor('a successful sync', async () => {
      const s = await hub.em().findOne(SyncState, { partner: 'huisarts' });
      return s?.lastSuccessAt && s.importedTotal === 8 ? s : null;
    });
    expect(state.cursor).toBeTruthy();

    // Restart: the worker is gone while new records arrive; the next one resumes from the cursor.
    await h.stopJobs();
    for (let i = 0; i < 3; i++) h.huisarts.addServiceRequest({ id: `SR-B${i}`, requester: { system: AGB_SYSTEM, value: AGB }, postcode: '3562EF' });
    expect(await count({ from: gp.id })).toBe(8);
    await h.start();
    await waitFor('11 GP referrals', async () => (await count({ from: gp.id })) === 11);
    const after = await waitFor('the second sync', async () => {
      const s = await hub.em().findOne(SyncState, { partner: 'huisarts' });
      return s && s.importedTotal === 11 && s.cursor !== state.cursor ? s : null;
    });
    expect(after.parkedTotal).toBe(0);
  });

  it('takes duplicates once and parks malformed or unroutable records with a value-free reason, and goes on', async () => {
    h.corporation.setFaults({ duplicates: true });
    for (let i = 0; i < 4; i++) h.corporation.addSignal({ id: `VS-${i}`, corporation: corp.code, postcode: '3562GH' });
    h.corporation.addRaw({ id: 'VS-BAD', corporation: corp.code, tenant: { givenName: 'Xantippe', familyName: 'Quelle' }, arrears: { amount: 'lots' } });
    h.corporation.addSignal({ id: 'VS-UNKNOWN-CORP', corporation: 'corp-nobody', postcode: '3562GH' });
    h.corporation.addSignal({ id: 'VS-NO-TEAM', corporation: corp.code, postcode: '9999ZZ', givenName: 'Ysbrand' });
    h.corporation.addSignal({ id: 'VS-LAST', corporation: corp.code, postcode: '3562GH' });
    await waitFor('5 arrears signals', async () => (await count({ from: corp.id, kind: ReferralKind.ARREARS_SIGNAL })) === 5);
    const parked = await waitFor('3 parked records', async () => {
      const rows = await hub.em().find(ParkedRecord, { partner: 'corporation' }, { orderBy: { externalId: 'asc' } });
      return rows.length === 3 ? rows : null;
    });
    expect(parked.map((p) => p.externalId)).toEqual(['VS-BAD', 'VS-NO-TEAM', 'VS-UNKNOWN-CORP']);
    const reasons = parked.map((p) => p.reason).join(' | ');
    expect(reasons).toContain('arrears.amount');
    expect(reasons).not.toMatch(/Xantippe|Quelle|Ysbrand|9999/);
    h.corporation.clearFaults();
  });

  it('shows last sync, lag and pending jobs to ADMIN and in /metrics', async () => {
    const res = await hub.gql(
      `query { integrations { partner lastSyncAt lagSeconds pendingJobs failedJobs parkedRecords queueReachable failures(first: 5) { id } } }`,
      {},
      adminToken,
    );
    expect(res.errors).toBeUndefined();
    const byPartner = Object.fromEntries(res.data!.integrations.map((i: { partner: string }) => [i.partner, i]));
    expect(byPartner.huisarts.lastSyncAt).toBeTruthy();
    expect(byPartner.huisarts.lagSeconds).toBeLessThan(60);
    expect(byPartner.corporation.parkedRecords).toBe(3);
    expect(byPartner.corporation.queueReachable).toBe(true);

    const metrics = await (await fetch(hub.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/voordeur_queue_jobs\{queue="huisarts",state="waiting"\}/);
    expect(metrics).toMatch(/voordeur_sync_lag_seconds\{partner="corporation"\} \d/);
    expect(metrics).toContain('voordeur_jobs_total');
    expect(metrics).toContain('voordeur_outbox_pending');

    const partner = await hub.gql(`mutation { submitReferral(input: { externalId: "x", kind: GP_REFERRAL, subject: { givenName: "a", familyName: "b", birthDate: "1990-01-01", postcode: "3562AB", houseNumber: "1" }, reason: "r", consentObtained: true }) { id } }`, {}, adminToken);
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('which partner system a referral came from', () => {
  it("marks polled referrals with their system, not an app submission under the same id from another sender, and an app submission once its own sender's system delivers it", async () => {
    const em = hub.em();
    const otherGp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
    await em.flush();
    // Another practice sends SR-SHARED through its app; then this practice's system has its own SR-SHARED.
    const submit = `mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id } }`;
    const input = { externalId: 'SR-SHARED', kind: 'GP_REFERRAL', subject: { givenName: 'Aaltje', familyName: 'Deelman', birthDate: '1950-01-01', postcode: '3562AB', houseNumber: '3' }, reason: 'r', consentObtained: true };
    const viaApp = await hub.gql(submit, { input }, await hub.tokenFor(otherGp.id));
    expect(viaApp.errors).toBeUndefined();
    h.huisarts.addServiceRequest({ id: 'SR-SHARED', requester: { system: AGB_SYSTEM, value: AGB }, postcode: '3562 CD' });
    h.corporation.addSignal({ id: 'VS-ORIGIN', corporation: corp.code, postcode: '3562GH' });
    const polled = await waitFor('the polled SR-SHARED', () => hub.em().findOne(Referral, { from: gp.id, externalId: 'SR-SHARED' }));
    const signal = await waitFor('the polled VS-ORIGIN', () => hub.em().findOne(Referral, { from: corp.id, externalId: 'VS-ORIGIN' }));
    expect(polled.partnerSystem).toBe('huisarts');
    expect(signal.partnerSystem).toBe('corporation');
    expect((await hub.em().findOneOrFail(Referral, { id: viaApp.data!.submitReferral.id })).partnerSystem).toBeNull();

    // The sender's own app first, then its own system with the same record (the poll names the
    // sender, so the pair is the sender's): from then on its status goes to that system.
    const sub = normaliseSubmission(gp, { ...input, externalId: 'SR-APP-FIRST', kind: ReferralKind.GP_REFERRAL }, hub.config.BSN_KEY);
    const audit = new AuditTrail(null, 'test-origin', 'REFERRAL_INTAKE');
    const first = await intakeReferral(hub.em(), gp, sub, audit);
    expect(first.created).toBe(true);
    expect((await hub.em().findOneOrFail(Referral, { id: first.referral.id })).partnerSystem).toBeNull();
    const again = await intakeReferral(hub.em(), gp, sub, audit, 'huisarts');
    expect(again).toMatchObject({ created: false });
    expect((await hub.em().findOneOrFail(Referral, { id: first.referral.id })).partnerSystem).toBe('huisarts');
  });
});
