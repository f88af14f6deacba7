/**
 * Adversarial review (partner integrations and jobs): inbound payloads from the partner
 * simulators and apps (malformed, oversized, duplicated, replayed, out of order), what the
 * referral intake reveals to the sender about who is known to the hub, status pushes after
 * cancellation / erasure, retries against a partner that fails forever, and what ends up in
 * Redis, failed-job records, parked records and logs. Every probe asserts the SAFE behaviour:
 * a failing probe is a finding. Not covered here (see review-probes-partner / -rights-jobs):
 * consent revoked between enqueue and push, externalId reuse across senders, folded statuses.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildCase, buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import { productionErrorLog } from '../../src/errors-format.js';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import { ParkedRecord } from '../../src/jobs/parked-record.entity.js';
import { AGB_SYSTEM } from '../../integrations/huisarts/schemas.js';
import { dumpPrefix, jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

// --- everything written to the logs during this file -------------------------------------------
const logLines: string[] = [];
/**
 * What production would log for the same errors: the hub runs in test mode and logs the whole
 * error, which goes through the production formatter's own reduction (productionErrorLog).
 */
const productionLogLines: string[] = [];
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
  vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
    logLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    const first = args[0] as { err?: { name?: string; message?: string; stack?: string } } | undefined;
    if (level === 'error' && first?.err?.stack) {
      const err = Object.assign(new Error(first.err.message ?? ''), { name: first.err.name ?? 'Error', stack: first.err.stack });
      productionLogLines.push(JSON.stringify(productionErrorLog(err)));
    }
  }) as never);
}

let hub: TestHub;
let h: Harness;
let teamA: Team;
let teamB: Team;
let gpX: Organisation;
let gpY: Organisation;
let corpZ: Organisation;
let known: Resident;
let erasable: Resident;
const tokens: Record<string, string> = {};

const KNOWN = { givenName: 'Fictiefje', familyName: 'Bekendehub', birthDate: '1966-06-16', bsn: makeBsn(818181), phone: '06-81818181' };
const ERASE = { givenName: 'Wisbertha', familyName: 'Vergeetmij', birthDate: '1958-08-18', bsn: makeBsn(838383), phone: '06-83838383' };
const UNKNOWN_BSN = makeBsn(828282);
const OUTSIDE = '9999ZZ'; // no team covers 9999
const NUL_NAME = 'Nulletje\u0000Fictief';
const PERSONAL = [
  KNOWN.givenName, KNOWN.familyName, KNOWN.birthDate, KNOWN.bsn, KNOWN.phone, ERASE.givenName, ERASE.familyName, ERASE.bsn, ERASE.phone,
  UNKNOWN_BSN, 'Orakelina', 'Vraagsteller', 'Nulletje', 'Reuzenreden', 'Herhaline', 'Volgordeloos', 'Wachtebeer', 'Slaapkop',
];

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
const SUBMIT = 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id externalId kind status receivedAt } }';
const TRIAGE = 'mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status } }';
const conn = () => hub.em().getConnection();
const gpInput = (externalId: string, subject: Record<string, unknown>) => ({
  externalId, kind: 'GP_REFERRAL', reason: 'Fictieve reden voor de toets', consentObtained: true,
  subject: { givenName: 'Orakelina', familyName: 'Vraagsteller', birthDate: '1970-01-01', postcode: OUTSIDE, houseNumber: '1', ...subject },
});
const tasksOn = (externalId: string) =>
  h.huisarts.effects.filter((e) => ((e.body as { basedOn?: { reference?: string }[] })?.basedOn ?? []).some((b) => b.reference === `ServiceRequest/${externalId}`));

beforeAll(async () => {
  hub = await startTestHub(jobsOverrides(redisUrl(), { PARTNER_TIMEOUT_MS: '400', JOB_ATTEMPTS: '4' }));
  const em = hub.em();
  teamA = buildTeam(em, { postcodes: ['3591'] });
  teamB = buildTeam(em, { postcodes: ['3592'] });
  const workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  const workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB] });
  const leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamB] });
  const admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  const coordB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB], name: 'Coördinator Integratietoets', phone: '030-5544332' });
  gpX = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-integ-x', agbCode: '01888881' });
  gpY = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-integ-y', agbCode: '01888882' });
  corpZ = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION, code: 'corp-integ-z' });
  const key = hub.config.BSN_KEY;
  // A resident known to team B (their household, an open case), whom gpX has no relation to.
  const hk = buildHousehold(em, { team: teamB, street: 'Bekendestraat', postcode: '3592AA', houseNumber: '7', members: [KNOWN], bsnKey: key });
  known = hk.head;
  buildCase(em, { household: hk.household, status: CaseStatus.ACTIVE, coordinator: coordB });
  const he = buildHousehold(em, { team: teamB, street: 'Wisstraat', postcode: '3592BB', houseNumber: '9', members: [ERASE], bsnKey: key });
  erasable = he.head;
  buildCase(em, { household: he.household, status: CaseStatus.ACTIVE, coordinator: coordB });
  await em.flush();
  for (const [name, p] of Object.entries({ workerA, workerB, leadB, admin, gpX, gpY, corpZ })) tokens[name] = await hub.tokenFor(p);
  h = await startHarness(hub.db.orm, hub.config);
  await h.start();
});

afterAll(async () => {
  await h?.stop();
  await hub?.stop();
  vi.restoreAllMocks();
});

// ------------------------------------------------------------------------------------------------
describe('what the intake tells the sender about who is known to the hub', () => {
  it('app: a BSN of a resident known to some team and an unknown BSN get the same answer (no membership oracle)', async () => {
    const knownRes = await hub.gql(SUBMIT, { input: gpInput('SR-ORACLE-APP-K', { bsn: KNOWN.bsn }) }, tokens.gpX);
    const unknownRes = await hub.gql(SUBMIT, { input: gpInput('SR-ORACLE-APP-U', { bsn: UNKNOWN_BSN }) }, tokens.gpX);
    const shape = (r: typeof knownRes) => ({ code: code(r) ?? 'OK', status: r.data?.submitReferral?.status ?? null, message: r.errors?.[0]?.message ?? null });
    // Safe: both refused alike, or both taken in alike. A difference tells gpX that the person
    // with that BSN is (or was) a client of the buurtteams.
    expect(shape(knownRes), `known BSN → ${knownRes.raw}\nunknown BSN → ${unknownRes.raw}`).toEqual(shape(unknownRes));
  });

  it('corporation app: the same oracle through an arrears signal with a BSN', async () => {
    const input = (externalId: string, bsn: string) => ({
      externalId, kind: 'ARREARS_SIGNAL', consentObtained: false, arrears: { amount: 800, since: '2025-01-01', months: 3 },
      subject: { givenName: 'Orakelina', familyName: 'Vraagsteller', postcode: OUTSIDE, houseNumber: '1', bsn },
    });
    const k = await hub.gql(SUBMIT, { input: input('VS-ORACLE-APP-K', KNOWN.bsn) }, tokens.corpZ);
    const u = await hub.gql(SUBMIT, { input: input('VS-ORACLE-APP-U', UNKNOWN_BSN) }, tokens.corpZ);
    expect({ code: code(k) ?? 'OK' }, `known BSN → ${k.raw}\nunknown BSN → ${u.raw}`).toEqual({ code: code(u) ?? 'OK' });
  });

  it('GP system (poll): a ServiceRequest for a known BSN and one for an unknown BSN look alike at the partner (Task or no Task)', async () => {
    const req = { system: AGB_SYSTEM, value: gpX.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-ORACLE-POLL-K', requester: req, givenName: 'Orakelina', familyName: 'Vraagsteller', postcode: '9999 ZZ', houseNumber: '1', bsn: KNOWN.bsn, phone: null });
    h.huisarts.addServiceRequest({ id: 'SR-ORACLE-POLL-U', requester: req, givenName: 'Orakelina', familyName: 'Vraagsteller', postcode: '9999 ZZ', houseNumber: '1', bsn: UNKNOWN_BSN, phone: null });
    // Both records have been seen by the hub: imported or parked.
    await waitFor('both ServiceRequests handled', async () => {
      const done = async (id: string) =>
        (await hub.em().count(Referral, { from: gpX.id, externalId: id })) + (await hub.em().count(ParkedRecord, { partner: 'huisarts', externalId: id }));
      return (await done('SR-ORACLE-POLL-K')) > 0 && (await done('SR-ORACLE-POLL-U')) > 0;
    });
    await new Promise((r) => setTimeout(r, 1500)); // relay + push
    const k = tasksOn('SR-ORACLE-POLL-K').length > 0;
    const u = tasksOn('SR-ORACLE-POLL-U').length > 0;
    expect({ taskForKnownBsn: k }, 'the GP system gets a Task only for the BSN the hub knows').toEqual({ taskForKnownBsn: u });
  });

  it("a resident of another team's household: the sender's answer and view are the bare status, alike for matched and unmatched", async () => {
    const matched = await hub.gql(SUBMIT, {
      input: gpInput('SR-OTHER-TEAM-M', { givenName: KNOWN.givenName, familyName: KNOWN.familyName, birthDate: KNOWN.birthDate, postcode: '3591AA', houseNumber: '7', bsn: KNOWN.bsn }),
    }, tokens.gpY);
    const unmatched = await hub.gql(SUBMIT, { input: gpInput('SR-OTHER-TEAM-U', { postcode: '3591AA', houseNumber: '8' }) }, tokens.gpY);
    expect(matched.errors).toBeUndefined();
    expect(unmatched.errors).toBeUndefined();
    const strip = (n: Record<string, unknown>) => Object.keys(n).sort();
    expect(strip(matched.data!.submitReferral)).toEqual(strip(unmatched.data!.submitReferral));
    expect(matched.data!.submitReferral.status).toBe(unmatched.data!.submitReferral.status);
    const view = await hub.gql('{ referrals(first: 20) { totalCount edges { node { id externalId kind status receivedAt updatedAt contactPerson { name phone } } } } }', {}, tokens.gpY);
    expect(view.errors).toBeUndefined();
    expect(view.raw).not.toMatch(/Coördinator Integratietoets|030-5544332|Bekendestraat|3592/);
    for (const e of view.data!.referrals.edges) expect(e.node.contactPerson).toBeNull();
  });
});

// ------------------------------------------------------------------------------------------------
describe('malformed and hostile inbound payloads', () => {
  it('app: a NUL byte in a name is BAD_USER_INPUT (not an internal error), and the error echoes nothing', async () => {
    const res = await hub.gql(SUBMIT, { input: gpInput('SR-NUL-APP', { givenName: NUL_NAME, postcode: '3591AB', bsn: null }) }, tokens.gpX);
    expect(code(res), res.raw).toBe('BAD_USER_INPUT');
    expect(res.raw).not.toMatch(/Nulletje|Vraagsteller|1970-01-01|3591AB/);
    expect(await hub.em().count(Referral, { externalId: 'SR-NUL-APP' })).toBe(0);
  });

  it('the error log of such a request (what production keeps: name and stack frames) holds no submitted value', () => {
    const text = productionLogLines.join('\n');
    for (const s of ['Nulletje', 'Vraagsteller', 'Orakelina', '1970-01-01', '3591AB', 'Fictieve reden']) expect(text, s).not.toContain(s);
  });

  it('corporation system: a signal with a NUL byte is parked and the poll goes on (the feed is not blocked for good)', async () => {
    h.corporation.addRaw({
      id: 'VS-NUL', corporation: corpZ.code, reportedAt: new Date().toISOString(),
      tenant: { givenName: NUL_NAME, familyName: 'Fictief', birthDate: null, postcode: '3591AB', houseNumber: '3' },
      arrears: { amount: 500, since: '2025-01-01', months: 2 }, consentObtained: false,
    });
    h.corporation.addSignal({ id: 'VS-AFTER-NUL', corporation: corpZ.code, postcode: '3591AC', givenName: 'Volgordeloos' });
    try {
      const after = await waitFor('the signal after the NUL one', () => hub.em().findOne(Referral, { from: corpZ.id, externalId: 'VS-AFTER-NUL' }), 8000).catch(() => null);
      const parked = await hub.em().findOne(ParkedRecord, { partner: 'corporation', externalId: 'VS-NUL' });
      const [state] = await conn().execute<{ last_error: string | null; cursor: string | null }[]>(`select last_error, cursor from sync_state where partner = 'corporation'`);
      expect({ nextSignalImported: !!after, nulSignalParked: !!parked }, `sync_state.last_error = ${state?.last_error}`).toEqual({ nextSignalImported: true, nulSignalParked: true });
    } finally {
      // Take the poison out of the simulator so the rest of the file can poll.
      const sim = h.corporation as unknown as { signals: { signal: { id: string } }[] };
      sim.signals = sim.signals.filter((s) => s.signal.id !== 'VS-NUL');
      await waitFor('the corporation poll unblocked', () => hub.em().findOne(Referral, { from: corpZ.id, externalId: 'VS-AFTER-NUL' }), 8000);
    }
  });

  it('GP system: a ServiceRequest with a NUL byte in its reason is parked and the poll goes on (the GP feed is not blocked for good)', async () => {
    const req = { system: AGB_SYSTEM, value: gpX.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-NUL', requester: req, givenName: 'Nulletje', familyName: 'Fictief', postcode: '3591 AG', reason: 'Nulletje\u0000reden' });
    h.huisarts.addServiceRequest({ id: 'SR-AFTER-NUL', requester: req, postcode: '3591 AG' });
    try {
      const after = await waitFor('the ServiceRequest after the NUL one', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-AFTER-NUL' }), 8000).catch(() => null);
      const parked = await hub.em().findOne(ParkedRecord, { partner: 'huisarts', externalId: 'SR-NUL' });
      const [state] = await conn().execute<{ last_error: string | null }[]>(`select last_error from sync_state where partner = 'huisarts'`);
      expect({ nextRecordImported: !!after, nulRecordParked: !!parked }, `sync_state.last_error = ${state?.last_error}`).toEqual({ nextRecordImported: true, nulRecordParked: true });
    } finally {
      const sim = h.huisarts as unknown as { records: { resource: { id: string } }[] };
      sim.records = sim.records.filter((r) => r.resource.id !== 'SR-NUL');
      await waitFor('the GP poll unblocked', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-AFTER-NUL' }), 8000);
    }
  });

  it('GP system: a ServiceRequest stamped in the far future does not move the cursor past the records that follow it', async () => {
    const req = { system: AGB_SYSTEM, value: gpX.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-FUTURE', requester: req, postcode: '3591 AG', givenName: 'Toekomstig' });
    const sim = h.huisarts as unknown as { records: { lastUpdated: string; resource: { id: string; meta: { lastUpdated: string } } }[] };
    const future = sim.records.find((r) => r.resource.id === 'SR-FUTURE')!;
    future.lastUpdated = future.resource.meta.lastUpdated = '2999-01-01T00:00:00.000Z';
    await waitFor('SR-FUTURE taken in', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-FUTURE' }), 8000);
    const [state] = await conn().execute<{ cursor: string | null }[]>(`select cursor from sync_state where partner = 'huisarts'`);
    expect(state?.cursor ?? '').not.toContain('2999');
    h.huisarts.addServiceRequest({ id: 'SR-AFTER-FUTURE', requester: req, postcode: '3591 AG' });
    await waitFor('the ServiceRequest after the future one', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-AFTER-FUTURE' }), 8000);
    // Taken again on later polls (it stays after the cursor): still one referral.
    expect(await hub.em().count(Referral, { from: gpX.id, externalId: 'SR-FUTURE' })).toBe(1);
    sim.records = sim.records.filter((r) => r.resource.id !== 'SR-FUTURE');
  });

  it('the failure of that poll left no value in sync_state, failed poll jobs or logs', async () => {
    const [state] = await conn().execute<{ last_error: string | null }[]>(`select last_error from sync_state where partner = 'corporation'`);
    const failed = await h.jobs!.queues.get('corporation').getFailed(0, 200);
    const text = [state?.last_error ?? '', ...failed.map((j) => `${j.failedReason} ${(j.stacktrace ?? []).join(' ')} ${JSON.stringify(j.data)}`), ...logLines].join('\n');
    for (const s of ['Nulletje', 'Fictief', '3591AB', 'Volgordeloos']) expect(text, s).not.toContain(s);
  });

  it('GP system: an oversized ServiceRequest (a 3 MB reason) is parked value-free, nothing of it is stored, and the next record comes in', async () => {
    const req = { system: AGB_SYSTEM, value: gpX.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-HUGE', requester: req, givenName: 'Reuzenreden', familyName: 'Fictief', postcode: '3591 AD', reason: `Reuzenreden ${'x'.repeat(3_000_000)}` });
    h.huisarts.addServiceRequest({ id: 'SR-AFTER-HUGE', requester: req, postcode: '3591 AD' });
    await waitFor('the record after the huge one', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-AFTER-HUGE' }), 10_000);
    expect(await hub.em().count(Referral, { externalId: 'SR-HUGE' })).toBe(0);
    const parked = await waitFor('SR-HUGE parked', () => hub.em().findOne(ParkedRecord, { partner: 'huisarts', externalId: 'SR-HUGE' }));
    expect(parked.reason.length).toBeLessThanOrEqual(500);
    expect(parked.reason).not.toMatch(/Reuzenreden|xxxx|3591/);
  });
});

// ------------------------------------------------------------------------------------------------
describe('replays and out-of-order records', () => {
  it("a revoked ServiceRequest under another practice's requester does not cancel this practice's referral", async () => {
    const reqX = { system: AGB_SYSTEM, value: gpX.agbCode! };
    const reqY = { system: AGB_SYSTEM, value: gpY.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-REVOKE-X', requester: reqX, postcode: '3591 AE', givenName: 'Herhaline' });
    const ref = await waitFor('SR-REVOKE-X in', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-REVOKE-X' }));
    // The same id comes back revoked, but with practice Y as requester.
    h.huisarts.addServiceRequest({ id: 'SR-REVOKE-X', requester: reqY, postcode: '3591 AE', givenName: 'Herhaline', status: 'revoked' });
    h.huisarts.addServiceRequest({ id: 'SR-REVOKE-MARK', requester: reqX, postcode: '3591 AE' });
    await waitFor('the marker after it', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-REVOKE-MARK' }));
    expect((await hub.em().findOneOrFail(Referral, ref.id)).status).toBe(ReferralStatus.RECEIVED);
    expect(await hub.em().count(Referral, { from: gpY.id, externalId: 'SR-REVOKE-X' })).toBe(0);
  });

  it('a revoked ServiceRequest arriving after the referral went IN_CARE changes nothing and sends no "cancelled"', async () => {
    const reqX = { system: AGB_SYSTEM, value: gpX.agbCode! };
    h.huisarts.addServiceRequest({ id: 'SR-LATE-REVOKE', requester: reqX, postcode: '3591 AF', givenName: 'Volgordeloos' });
    const ref = await waitFor('SR-LATE-REVOKE in', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-LATE-REVOKE' }));
    // The team links it to a case of its own and takes it into care.
    const em = hub.em();
    const hh = buildHousehold(em, { team: teamA, postcode: '3591AF', members: 1 });
    const c = buildCase(em, { household: hh.household, status: CaseStatus.ACTIVE });
    await em.flush();
    const t = await hub.gql(TRIAGE, { input: { referralId: ref.id, status: 'TRIAGED', caseId: c.id } }, tokens.workerA);
    expect(t.errors).toBeUndefined();
    const ic = await hub.gql(TRIAGE, { input: { referralId: ref.id, status: 'IN_CARE' } }, tokens.workerA);
    expect(ic.errors).toBeUndefined();
    h.huisarts.addServiceRequest({ id: 'SR-LATE-REVOKE', requester: reqX, postcode: '3591 AF', givenName: 'Volgordeloos', status: 'revoked' });
    h.huisarts.addServiceRequest({ id: 'SR-LATE-MARK', requester: reqX, postcode: '3591 AF' });
    await waitFor('the marker after it', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-LATE-MARK' }));
    await new Promise((r) => setTimeout(r, 1000));
    expect((await hub.em().findOneOrFail(Referral, ref.id)).status).toBe(ReferralStatus.IN_CARE);
    expect(h.huisarts.effectsFor(`/Task/${ref.id}`).map((e) => (e.body as { status: string }).status)).not.toContain('cancelled');
  });

  it('after erasure, a replay of the same ServiceRequest does not bring the erased subject back (no new referral, no name restored)', async () => {
    const reqX = { system: AGB_SYSTEM, value: gpX.agbCode! };
    const spec = { id: 'SR-ERASE-REPLAY', requester: reqX, givenName: ERASE.givenName, familyName: ERASE.familyName, birthDate: ERASE.birthDate, postcode: '3592 BB', houseNumber: '9', bsn: ERASE.bsn, phone: ERASE.phone };
    h.huisarts.addServiceRequest(spec);
    const ref = await waitFor('matched referral', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-ERASE-REPLAY' }));
    expect(ref.resident?.id).toBe(erasable.id);
    const erased = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: erasable.id }, tokens.leadB);
    expect(erased.data?.eraseResident.outcome).toBe('ANONYMISED');
    // The GP system bumps the record (a new lastUpdated), and the GP app retries its submission too.
    h.huisarts.addServiceRequest(spec);
    h.huisarts.addServiceRequest({ id: 'SR-ERASE-MARK', requester: reqX, postcode: '3592 CC' });
    await waitFor('the marker after it', () => hub.em().findOne(Referral, { from: gpX.id, externalId: 'SR-ERASE-MARK' }));
    const rows = await conn().execute<{ n: number }[]>(
      `select count(*)::int as n from referral where subject_given_name = ? or subject_family_name = ? or subject_phone = ?`,
      [ERASE.givenName, ERASE.familyName, ERASE.phone],
    );
    expect(rows[0]!.n, 'referral rows holding the erased subject again').toBe(0);
    const parked = await hub.em().find(ParkedRecord, { externalId: 'SR-ERASE-REPLAY' });
    for (const p of parked) expect(p.reason).not.toMatch(/Wisbertha|Vergeetmij/);
  });

  it('the same app submission sent five times at once: one referral and one outbox row, also when the GP system then delivers it', async () => {
    const input = gpInput('SR-BURST', { givenName: 'Herhaline', familyName: 'Fictief', postcode: '3591AH', bsn: null });
    const answers = await Promise.all(Array.from({ length: 5 }, () => hub.gql(SUBMIT, { input }, tokens.gpX)));
    for (const a of answers) expect(a.errors, a.raw).toBeUndefined();
    expect(new Set(answers.map((a) => a.data!.submitReferral.id)).size).toBe(1);
    const id = answers[0]!.data!.submitReferral.id as string;
    const rows = await conn().execute<{ n: number }[]>(`select count(*)::int as n from outbox where payload->>'referralId' = ?`, [id]);
    expect(rows[0]!.n).toBe(1);
    // The GP system then delivers the same record: still one referral, now marked as the system's.
    h.huisarts.addServiceRequest({ id: 'SR-BURST', requester: { system: AGB_SYSTEM, value: gpX.agbCode! }, givenName: 'Herhaline', familyName: 'Fictief', birthDate: '1970-01-01', postcode: '3591 AH', houseNumber: '1', bsn: null, phone: null, reason: 'Fictieve reden voor de toets' });
    await waitFor('marked as polled', async () => (await hub.em().findOne(Referral, { id }))?.partnerSystem === 'huisarts');
    expect(await hub.em().count(Referral, { from: gpX.id, externalId: 'SR-BURST' })).toBe(1);
  });

  it("another practice's paging cursor, kind or status filter reaches none of this practice's referrals", async () => {
    const mine = await hub.gql('{ referrals(first: 1) { totalCount pageInfo { endCursor } edges { node { id } } } }', {}, tokens.gpX);
    expect(mine.errors).toBeUndefined();
    const cursor = mine.data!.referrals.pageInfo.endCursor as string;
    const theirs = await hub.gql('query($a: String) { referrals(first: 50, after: $a) { totalCount edges { node { id externalId } } } }', { a: cursor }, tokens.gpY);
    const gpXIds = (await hub.em().find(Referral, { from: gpX.id })).map((r) => r.id);
    for (const id of gpXIds) expect(theirs.raw).not.toContain(id);
    const filtered = await hub.gql('{ referrals(first: 50, filter: { kind: GP_REFERRAL, status: [RECEIVED, TRIAGED, IN_CARE, CANCELLED] }) { totalCount edges { node { id } } } }', {}, tokens.gpY);
    for (const id of gpXIds) expect(filtered.raw).not.toContain(id);
    const yCount = await hub.em().count(Referral, { from: gpY.id });
    expect(filtered.data?.referrals.totalCount).toBeLessThanOrEqual(yCount);
  });
});

// ------------------------------------------------------------------------------------------------
describe('retries against a partner that fails forever', () => {
  it('a push the GP system answers 500 forever: bounded attempts, then failed with a value-free reason; data ids only', async () => {
    const em = hub.em();
    const hh = buildHousehold(em, { team: teamA, postcode: '3591BA', members: [{ givenName: 'Wachtebeer', familyName: 'Fictief', bsn: null }] });
    const ref = buildReferral(em, { from: gpX, resident: hh.head, household: hh.household, status: ReferralStatus.RECEIVED, partnerSystem: 'huisarts' });
    await em.flush();
    h.huisarts.setFaults({ failNext: [{ status: 500, match: `/Task/${ref.id}`, count: 1000 }] });
    const before = h.huisarts.requests;
    const res = await hub.gql(TRIAGE, { input: { referralId: ref.id, status: 'TRIAGED' } }, tokens.workerA);
    expect(res.errors).toBeUndefined();
    const [row] = await waitFor('the outbox row', () => conn().execute<{ id: string }[]>(`select id from outbox where payload->>'referralId' = ?`, [ref.id]).then((r) => (r.length ? r : null)));
    const job = await waitFor('the push failed for good', async () => {
      const queue = h.jobs!.queues.get('huisarts');
      const j = await queue.getJob(row!.id);
      // Read again once failed: the first read may predate the last attempt (a loaded machine).
      return j && (await j.getState()) === 'failed' ? queue.getJob(row!.id) : null;
    }, 20_000);
    expect(job.attemptsMade).toBe(hub.config.JOB_ATTEMPTS);
    expect(job.failedReason).toMatch(/^huisarts answered HTTP 500$/);
    expect(Object.keys(job.data).sort()).toEqual(['outboxId', 'referralId']);
    const remaining = h.huisarts.faults.failNext.find((f) => f.match === `/Task/${ref.id}`)?.count ?? 0;
    expect(1000 - remaining, 'calls to the GP system for this Task').toBe(hub.config.JOB_ATTEMPTS);
    expect(h.huisarts.requests).toBeGreaterThan(before);
    h.huisarts.clearFaults();
    const admin = await hub.gql('{ integrations { partner failures(first: 50) { id jobName failedReason } } }', {}, tokens.admin);
    expect(admin.errors).toBeUndefined();
    expect(admin.raw).not.toMatch(/Wachtebeer|3591BA/);
  });

  it('a push that times out forever (slow partner): bounded attempts, no effect recorded twice, value-free reason', async () => {
    const em = hub.em();
    const hh = buildHousehold(em, { team: teamA, postcode: '3591BB', members: [{ givenName: 'Slaapkop', familyName: 'Fictief', bsn: null }] });
    const corpRef = buildReferral(em, { from: corpZ, household: hh.household, team: teamA, status: ReferralStatus.RECEIVED, partnerSystem: 'corporation' });
    await em.flush();
    const before = h.corporation.effectsFor(`/signals/${corpRef.externalId}/`).length;
    h.corporation.setFaults({ slowMs: 1000 }); // > PARTNER_TIMEOUT_MS (400)
    try {
      const res = await hub.gql(TRIAGE, { input: { referralId: corpRef.id, status: 'CONTACT_ATTEMPTED', contactAttempt: { kind: 'PHONE', at: new Date().toISOString(), reached: false } } }, tokens.workerA);
      expect(res.errors).toBeUndefined();
      const [row] = await waitFor('the outbox row', () => conn().execute<{ id: string }[]>(`select id from outbox where payload->>'referralId' = ?`, [corpRef.id]).then((r) => (r.length ? r : null)));
      const job = await waitFor('the push failed for good', async () => {
        const queue = h.jobs!.queues.get('corporation');
        const j = await queue.getJob(row!.id);
        return j && (await j.getState()) === 'failed' ? queue.getJob(row!.id) : null;
      }, 25_000);
      expect(job!.attemptsMade).toBe(hub.config.JOB_ATTEMPTS);
      expect(job!.failedReason).toMatch(/^corporation: no answer within 400 ms$/);
      for (const s of ['Slaapkop', 'Fictief', '3591BB']) expect(`${job!.failedReason} ${JSON.stringify(job!.data)}`).not.toContain(s);
    } finally {
      h.corporation.clearFaults();
    }
    // The partner did apply the (slow) calls: one effect per idempotency key, never more.
    await new Promise((r) => setTimeout(r, 1500));
    const effects = h.corporation.effectsFor(`/signals/${corpRef.externalId}/`).slice(before);
    expect(new Set(effects.map((e) => e.idempotencyKey)).size).toBe(effects.length);
    expect(effects.length).toBeLessThanOrEqual(1);
  });
});

// ------------------------------------------------------------------------------------------------
describe('every outbound call, Redis and logs after all of this', () => {
  it('every Task carries only resourceType, id, status, intent, basedOn, lastModified (owner only with consent: none here)', () => {
    expect(h.huisarts.effects.length).toBeGreaterThan(0);
    for (const e of h.huisarts.effects) {
      const body = e.body as Record<string, unknown>;
      expect(Object.keys(body).sort(), JSON.stringify(body)).toEqual(['basedOn', 'id', 'intent', 'lastModified', 'resourceType', 'status']);
      expect(body.resourceType).toBe('Task');
      expect(body.intent).toBe('order');
      expect(['accepted', 'in-progress', 'completed', 'rejected', 'cancelled']).toContain(body.status);
      expect(body.basedOn).toEqual([{ reference: expect.stringMatching(/^ServiceRequest\/[\w.:/-]+$/) }]);
      expect(String(body.id)).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(String(body.lastModified)))).toBe(false);
    }
  });

  it('every corporation feedback is { status } with a folded status', () => {
    for (const e of h.corporation.effects) {
      expect(Object.keys(e.body as object)).toEqual(['status']);
      expect(['RECEIVED', 'CONTACT_ATTEMPTED', 'IN_CARE', 'NOT_REACHED', 'CLOSED']).toContain((e.body as { status: string }).status);
    }
  });

  it('nothing personal anywhere under the BullMQ prefix; job data keys are ids only', async () => {
    const prefix = hub.config.BULLMQ_PREFIX;
    const dump = await dumpPrefix(hub.config.REDIS_URL, prefix);
    expect(dump.length).toBeGreaterThan(100);
    for (const s of [...PERSONAL, 'Bekendestraat', 'Wisstraat', 'Coördinator Integratietoets', '030-5544332']) expect(dump, s).not.toContain(s);
    const redis = new Redis(hub.config.REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        for (const k of keys) {
          expect(k).toMatch(/^[\w-]+:(huisarts|corporation|internal)(:[\w.:-]*)?$/);
          if ((await redis.type(k)) !== 'hash') continue;
          const data = await redis.hget(k, 'data');
          if (!data) continue;
          for (const [f, v] of Object.entries(JSON.parse(data) as Record<string, unknown>)) {
            expect(['outboxId', 'referralId', 'matchId', 'ambassadorId', 'dueOn'], `${k} data.${f}`).toContain(f);
            expect(String(v)).toMatch(/^[0-9a-f-]{36}$|^\d{4}-\d{2}-\d{2}$/);
          }
        }
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });

  it('parked records name fields and rules only', async () => {
    const rows = await conn().execute<{ external_id: string | null; reason: string }[]>('select external_id, reason from parked_record');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) for (const s of [...PERSONAL, '9999', 'ZZ']) expect(r.reason, `${r.external_id}: ${r.reason}`).not.toContain(s);
  });

  it('no log line holds a name, BSN, address, phone or reason of these scenarios', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const text = logLines.join('\n');
    for (const s of [...PERSONAL, 'Bekendestraat', 'Wisstraat', 'Fictieve reden']) expect(text, s).not.toContain(s);
  });
});
