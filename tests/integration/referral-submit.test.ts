/**
 * The referral inbox through the graph: submitReferral as the partner contracts send it —
 * idempotent per (organisation, externalId), kinds per sender, subject matching and routing,
 * BSN validated and stored encrypted, nothing of the subject echoed — and the outbox row
 * every status change writes in its own transaction (none when the transaction rolls back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, startTestHub, type TestHub } from '../helpers/app.js';
import { buildHousehold, buildOrganisation, buildStaff, buildTeam } from '../../seeds/factories.js';
import { OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { OutboxMessage } from '../../src/jobs/outbox.entity.js';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';

let hub: TestHub;
let teamA: Team;
let teamB: Team;
let resident: Resident;
const tokens: Record<string, string> = {};
const BSN = makeBsn(4242);

const SUBMIT = `mutation Submit($input: SubmitReferralInput!) { submitReferral(input: $input) { id externalId kind status receivedAt } }`;
const gpInput = (over: Record<string, unknown> = {}) => ({
  externalId: 'SR-1001',
  kind: 'GP_REFERRAL',
  subject: { givenName: 'Hendrikje', familyName: 'Zwaneveld', birthDate: '1950-02-03', postcode: '3562 ab', houseNumber: '7' },
  reason: 'Eenzaam sinds overlijden partner.',
  urgency: 'SOON',
  consentObtained: true,
  ...over,
});
const arrearsInput = (over: Record<string, unknown> = {}) => ({
  externalId: 'VS-77',
  kind: 'ARREARS_SIGNAL',
  subject: { givenName: 'Gijsbrecht', familyName: 'Ruisdael', postcode: '3531AA', houseNumber: '3-b' },
  arrears: { amount: 812.5, since: '2025-01-01', months: 3 },
  consentObtained: false,
  ...over,
});

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  teamA = buildTeam(em, { postcodes: ['3562'] });
  teamB = buildTeam(em, { postcodes: ['3531'] });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  const corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  const workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB] });
  // A resident in team B's area, known by BSN.
  resident = buildHousehold(em, {
    team: teamB,
    postcode: '3531CC',
    houseNumber: '40',
    members: [{ givenName: 'Teuntje', familyName: 'Ploeg', birthDate: '1977-07-07', bsn: BSN }],
    bsnKey: hub.config.BSN_KEY,
  }).head;
  await em.flush();
  tokens.gp = await hub.tokenFor(gp);
  tokens.corp = await hub.tokenFor(corp);
  tokens.worker = await hub.tokenFor(worker);
  tokens.workerB = await hub.tokenFor(workerB);
});

afterAll(async () => {
  await hub?.stop();
});

const outboxFor = (referralId: string) => hub.em().count(OutboxMessage, { topic: 'referral.status-changed', payload: { referralId } } as never);

describe('submitReferral', () => {
  it('creates a referral, answers with status fields only, and is idempotent per externalId', async () => {
    const first = await hub.gql(SUBMIT, { input: gpInput() }, tokens.gp);
    expect(first.errors).toBeUndefined();
    expect(first.data!.submitReferral).toMatchObject({ externalId: 'SR-1001', kind: 'GP_REFERRAL', status: 'RECEIVED' });
    expect(first.raw).not.toMatch(/Hendrikje|Zwaneveld|1950-02-03|3562/);
    const again = await hub.gql(SUBMIT, { input: gpInput({ subject: { ...gpInput().subject, postcode: '3562AB' } }) }, tokens.gp);
    expect(again.errors).toBeUndefined();
    expect(again.data!.submitReferral.id).toBe(first.data!.submitReferral.id);
    const changed = await hub.gql(SUBMIT, { input: gpInput({ reason: 'Iets anders.' }) }, tokens.gp);
    expect(changed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(changed.raw).not.toContain('Hendrikje');
    expect(await hub.em().count(Referral, { externalId: 'SR-1001' })).toBe(1);
    // The creation is a status change the sender's system hears of: one outbox row, ids only.
    expect(await outboxFor(first.data!.submitReferral.id)).toBe(1);
  });

  it('lets GP practices send GP_REFERRAL only and corporations ARREARS_SIGNAL only', async () => {
    const gpArrears = await hub.gql(SUBMIT, { input: arrearsInput({ externalId: 'X-1' }) }, tokens.gp);
    expect(gpArrears.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const corpGp = await hub.gql(SUBMIT, { input: gpInput({ externalId: 'X-2' }) }, tokens.corp);
    expect(corpGp.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const worker = await hub.gql(SUBMIT, { input: gpInput({ externalId: 'X-3' }) }, tokens.worker);
    expect(worker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noConsent = await hub.gql(SUBMIT, { input: gpInput({ externalId: 'X-4', consentObtained: false }) }, tokens.gp);
    expect(noConsent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentObtained' });
    const noArrears = await hub.gql(SUBMIT, { input: arrearsInput({ externalId: 'X-5', arrears: null }) }, tokens.corp);
    expect(noArrears.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'arrears' });
  });

  it('routes an unmatched subject to the team of the postcode area; an uncovered area is BAD_USER_INPUT', async () => {
    const res = await hub.gql(SUBMIT, { input: arrearsInput() }, tokens.corp);
    expect(res.errors).toBeUndefined();
    const r = await hub.em().findOneOrFail(Referral, res.data!.submitReferral.id);
    expect(r.team.id).toBe(teamB.id);
    expect(r.resident ?? null).toBeNull();
    expect(r.arrearsAmount).toBe('812.50');
    const nowhere = await hub.gql(SUBMIT, { input: arrearsInput({ externalId: 'VS-78', subject: { ...arrearsInput().subject, postcode: '9999AA' } }) }, tokens.corp);
    expect(nowhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subject.postcode' });
  });

  it('validates the BSN with the elfproef, stores it only encrypted, and matches a resident by it', async () => {
    const bad = await hub.gql(SUBMIT, { input: gpInput({ externalId: 'SR-BSN-0', subject: { ...gpInput().subject, bsn: '123456789' } }) }, tokens.gp);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subject.bsn' });
    expect(bad.raw).not.toContain('123456789');
    // Different name spelling and address, same BSN: matched to the resident, routed to their team.
    const res = await hub.gql(
      SUBMIT,
      { input: gpInput({ externalId: 'SR-BSN-1', subject: { givenName: 'Teun', familyName: 'Ploeg', birthDate: '1977-07-07', postcode: '3562AA', houseNumber: '1', bsn: BSN } }) },
      tokens.gp,
    );
    expect(res.errors).toBeUndefined();
    expect(res.raw).not.toContain(BSN);
    const [row] = await hub.em().execute(`select subject_bsn_encrypted, subject_bsn_hash, resident_id, team_id from referral where id = ?`, [res.data!.submitReferral.id]);
    expect(row.subject_bsn_encrypted).toBeTruthy();
    expect(row.subject_bsn_encrypted).not.toContain(BSN);
    expect(row.subject_bsn_hash).not.toContain(BSN);
    expect(row.resident_id).toBe(resident.id);
    expect(row.team_id).toBe(teamB.id);
  });

  it('writes one outbox row per status change in the same transaction, none when it rolls back', async () => {
    const res = await hub.gql(SUBMIT, { input: gpInput({ externalId: 'SR-FLOW' }) }, tokens.gp);
    const id = res.data!.submitReferral.id;
    expect(await outboxFor(id)).toBe(1);
    const TRIAGE = `mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status } }`;
    const ok = await hub.gql(TRIAGE, { input: { referralId: id, status: 'TRIAGED' } }, tokens.worker);
    expect(ok.data?.triageReferral.status).toBe(ReferralStatus.TRIAGED);
    expect(await outboxFor(id)).toBe(2);
    // Fails inside the transaction (IN_CARE needs a case): nothing committed, nothing queued.
    const rolledBack = await hub.gql(TRIAGE, { input: { referralId: id, status: 'IN_CARE' } }, tokens.worker);
    expect(rolledBack.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await outboxFor(id)).toBe(2);
    const cancel = await hub.gql(`mutation { cancelReferral(id: "${id}", reason: "dubbel") { id status } }`, {}, tokens.gp);
    expect(cancel.data?.cancelReferral.status).toBe('CANCELLED');
    expect(await outboxFor(id)).toBe(3);
    const payloads = await hub.em().find(OutboxMessage, { topic: 'referral.status-changed' });
    for (const p of payloads) expect(Object.keys(p.payload)).toEqual(['referralId']);
  });

  it('runs the partner contracts as written', async () => {
    const gpText = contractFile('partner-gp.graphql');
    const corpText = contractFile('partner-corporation.graphql');
    if (!gpText || !corpText) return;
    const gp = await hub.gql(gpText, { input: gpInput({ externalId: 'SR-CONTRACT' }) }, tokens.gp, 'SubmitGpReferral');
    expect(gp.errors).toBeUndefined();
    const mine = await hub.gql(gpText, { first: 10 }, tokens.gp, 'MyReferrals');
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.referrals.totalCount).toBeGreaterThan(0);
    const corp = await hub.gql(corpText, { input: arrearsInput({ externalId: 'VS-CONTRACT' }) }, tokens.corp, 'SubmitArrearsSignal');
    expect(corp.errors).toBeUndefined();
    const statuses = await hub.gql(corpText, { first: 10 }, tokens.corp, 'SignalStatuses');
    expect(statuses.errors).toBeUndefined();
    expect(statuses.raw).not.toMatch(/Gijsbrecht|Ruisdael/);
  });
});
