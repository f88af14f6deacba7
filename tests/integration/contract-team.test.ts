/**
 * The team workers' client contract (../shared/contract/team.graphql), executed over real
 * HTTP exactly as a client sends it — the whole file with an operationName — in the order a
 * buurtteam works a case. Every operation of the file runs and returns no errors. Plus the
 * ADMIN operations of admin.graphql that exist today, and the audit of a case-file read.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, operationNames, singleOperation, startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam, ZRM_DOMAINS } from '../../seeds/factories.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { CaseStatus, OrganisationKind, ReferralStatus, Role, ZrmVersion } from '../../src/modules/common/enums.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';

const TEAM_OPS = contractFile('team.graphql');
const ADMIN_OPS = contractFile('admin.graphql');

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);


function expectOk(res: GqlResponse, op: string) {
  expect(res.errors, `${op} returned errors: ${JSON.stringify(res.errors)}`).toBeUndefined();
  expect(res.status).toBe(200);
  expect(res.data).toBeTruthy();
}

if (!TEAM_OPS || !ADMIN_OPS) {
  describe('contract: team.graphql and admin.graphql', () => {
    it.skip('skipped because ../shared/contract is absent (as in a user\'s clone)', () => {});
  });
} else {
  const teamText = TEAM_OPS;
  const adminText = ADMIN_OPS;

  describe('contract: team.graphql over HTTP, a case from registration to closure', () => {
    let hub: TestHub;
    let team: Team;
    let worker: Staff;
    let lead: Staff;
    let admin: Staff;
    let gp: Organisation;
    let referral: Referral;
    let tokens: { worker: string; lead: string; admin: string };
    const executed = new Set<string>();

    // Filled in as the sequence runs.
    const s: {
      householdId?: string;
      memberIds?: string[];
      caseId?: string;
      goalId?: string;
      noteId?: string;
      zrmId?: string;
      allocationId?: string;
      consentId?: string;
      feedbackId?: string;
      extraCaseIds?: string[];
    } = {};

    async function run(operationName: string, variables: Record<string, unknown> = {}, token = tokens.worker) {
      executed.add(operationName);
      const res = await hub.gql(teamText, variables, token, operationName);
      expectOk(res, operationName);
      return res.data!;
    }

    beforeAll(async () => {
      hub = await startTestHub();
      const em = hub.em();
      team = buildTeam(em, { district: 'Overvecht', postcodes: ['3563'] });
      worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: 'Sanne Visser' });
      lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team], name: 'Bart Dekker' });
      admin = buildStaff(em, { role: Role.ADMIN, name: 'Petra Beheer' });
      gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, name: 'Huisartsenpraktijk Overvecht' });
      // Three more cases of the team, registered earlier than the one the sequence opens.
      s.extraCaseIds = [20, 30, 40].map((days) => {
        const { household } = buildHousehold(em, { team, members: 1 });
        return buildCase(em, { household, status: CaseStatus.REGISTERED, registeredAt: ago(days) }).id;
      });
      referral = buildReferral(em, {
        from: gp,
        team,
        status: ReferralStatus.RECEIVED,
        subjectGivenName: 'Hanneke',
        subjectFamilyName: 'Brouwer',
        receivedAt: ago(3),
      });
      await em.flush();
      tokens = { worker: await hub.tokenFor(worker), lead: await hub.tokenFor(lead), admin: await hub.tokenFor(admin) };
    });

    afterAll(async () => {
      await hub?.stop();
    });

    it('Me', async () => {
      const d = await run('Me');
      expect(d.me).toMatchObject({ id: worker.id, name: 'Sanne Visser', role: 'TEAM_WORKER', organisation: null });
      expect(d.me.teams).toEqual([{ id: team.id, code: team.code, name: team.name }]);
    });

    it('Teams', async () => {
      const d = await run('Teams');
      expect(d.teams).toContainEqual({ id: team.id, code: team.code, name: team.name, district: 'Overvecht', kind: 'SOCIAL', isFlex: false });
    });

    it('RegisterHousehold', async () => {
      const d = await run('RegisterHousehold', {
        input: {
          teamId: team.id,
          address: { street: 'Zambesidreef', houseNumber: '12', postcode: '3563 AB', city: 'Utrecht' },
          members: [
            { givenName: 'Fatima', familyName: 'Bouzid', birthDate: '1984-03-02', bsn: makeBsn(12345678), phone: '06-12345678', languages: ['nl', 'ar'], relation: 'HEAD' },
            { givenName: 'Youssef', familyName: 'Bouzid', birthDate: '2012-07-19', relation: 'CHILD' },
          ],
        },
      });
      const h = d.registerHousehold;
      expect(h.team).toEqual({ id: team.id, code: team.code });
      expect(h.address).toEqual({ street: 'Zambesidreef', houseNumber: '12', postcode: '3563AB', city: 'Utrecht' });
      expect(h.members).toHaveLength(2);
      const fatima = h.members.find((m: { givenName: string }) => m.givenName === 'Fatima');
      expect(fatima.bsnLast4).toBe(makeBsn(12345678).slice(-4));
      s.householdId = h.id;
      s.memberIds = h.members.map((m: { id: string }) => m.id);
    });

    it('OpenCase', async () => {
      const d = await run('OpenCase', {
        input: { householdId: s.householdId, referralSource: 'SELF', registeredAt: ago(10).toISOString(), reason: 'Huurachterstand en ongeopende post.' },
      });
      expect(d.openCase).toMatchObject({ status: 'REGISTERED', referralSource: 'SELF', team: { id: team.id, code: team.code }, household: { id: s.householdId } });
      s.caseId = d.openCase.id;
    });

    it('RecordFirstContact', async () => {
      const d = await run('RecordFirstContact', { caseId: s.caseId, at: ago(8).toISOString() });
      expect(d.recordFirstContact).toMatchObject({ id: s.caseId, status: 'INTAKE', daysToFirstContact: 2 });
    });

    it('StartCase', async () => {
      const d = await run('StartCase', { input: { caseId: s.caseId, startedAt: ago(7).toISOString(), coordinatorId: worker.id } });
      expect(d.startCase).toMatchObject({ id: s.caseId, status: 'ACTIVE', coordinator: { id: worker.id, name: 'Sanne Visser' } });
    });

    it('AddGoal', async () => {
      const d = await run('AddGoal', {
        input: { caseId: s.caseId, description: 'Betalingsregeling met de verhuurder afsluiten', domain: 'FINANCES', targetDate: isoDate(new Date(Date.now() + 60 * DAY)) },
      });
      expect(d.addGoal).toMatchObject({ domain: 'FINANCES', status: 'OPEN' });
      s.goalId = d.addGoal.id;
    });

    it('AddCaseNote', async () => {
      const d = await run('AddCaseNote', { input: { caseId: s.caseId, body: 'Kennismakingsgesprek thuis gehad.' } });
      expect(d.addCaseNote).toMatchObject({ body: 'Kennismakingsgesprek thuis gehad.', author: { id: worker.id, name: 'Sanne Visser' } });
      s.noteId = d.addCaseNote.id;
    });

    it('RecordZrmAssessment (ZRM_2017)', async () => {
      const scores = ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain, i) => ({ domain, score: (i % 5) + 1 }));
      const d = await run('RecordZrmAssessment', {
        input: { caseId: s.caseId, residentId: s.memberIds![0], assessedAt: ago(6).toISOString(), version: 'ZRM_2017', kind: 'BASELINE', scores },
      });
      expect(d.recordZrmAssessment).toMatchObject({ version: 'ZRM_2017', kind: 'BASELINE' });
      expect(d.recordZrmAssessment.scores).toHaveLength(13);
      s.zrmId = d.recordZrmAssessment.id;
    });

    it('RecordCareAllocation', async () => {
      const d = await run('RecordCareAllocation', {
        input: { caseId: s.caseId, provision: 'Huishoudelijke hulp', form: 'ZIN', investigationStartedAt: isoDate(ago(5)) },
      });
      expect(d.recordCareAllocation).toMatchObject({ provision: 'Huishoudelijke hulp', form: 'ZIN', decision: 'PENDING', decidedAt: null });
      s.allocationId = d.recordCareAllocation.id;
    });

    it('RecordConsent (recipient: a GP practice)', async () => {
      const d = await run('RecordConsent', { input: { residentId: s.memberIds![0], recipientId: gp.id, purpose: 'GP_TANDEM' } });
      expect(d.recordConsent).toMatchObject({ purpose: 'GP_TANDEM', recipient: { id: gp.id, name: 'Huisartsenpraktijk Overvecht' } });
      s.consentId = d.recordConsent.id;
    });

    describe('CaseDetail', () => {
      const requestId = `contract-case-detail-${randomUUID()}`;
      let detail: Record<string, any>;

      beforeAll(async () => {
        executed.add('CaseDetail');
        // hub.gql sends no headers of its own choosing: set the request id to find its audit rows.
        const res = await fetch(hub.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.worker}`, 'x-request-id': requestId },
          body: JSON.stringify({ query: teamText, variables: { id: s.caseId }, operationName: 'CaseDetail' }),
        });
        const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown };
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        detail = body.data!.case;
      });

      it('returns the whole case file, nested', () => {
        expect(detail).toMatchObject({
          id: s.caseId,
          status: 'ACTIVE',
          referralSource: 'SELF',
          closedAt: null,
          coordinator: { id: worker.id, name: 'Sanne Visser' },
          team: { id: team.id, code: team.code },
          household: { id: s.householdId, address: { street: 'Zambesidreef', houseNumber: '12', postcode: '3563AB', city: 'Utrecht' } },
          referral: null,
        });
        expect(detail.household.members.map((m: { id: string }) => m.id).sort()).toEqual([...s.memberIds!].sort());
        expect(detail.household.members.find((m: { givenName: string }) => m.givenName === 'Fatima').phone).toBe('06-12345678');
        expect(detail.goals).toEqual([{ id: s.goalId, description: 'Betalingsregeling met de verhuurder afsluiten', domain: 'FINANCES', status: 'OPEN' }]);
        expect(detail.notes.totalCount).toBe(1);
        expect(detail.notes.edges[0].node).toMatchObject({ id: s.noteId, body: 'Kennismakingsgesprek thuis gehad.', author: { name: 'Sanne Visser' } });
        expect(detail.zrmAssessments).toHaveLength(1);
        expect(detail.zrmAssessments[0]).toMatchObject({ id: s.zrmId, version: 'ZRM_2017', kind: 'BASELINE' });
        expect(detail.zrmAssessments[0].scores).toHaveLength(13);
        expect(detail.careAllocations).toEqual([{ id: s.allocationId, provision: 'Huishoudelijke hulp', form: 'ZIN', decision: 'PENDING' }]);
        expect(detail.consents).toHaveLength(1);
        expect(detail.consents[0]).toMatchObject({ id: s.consentId, purpose: 'GP_TANDEM', revokedAt: null, recipient: { id: gp.id } });
      });

      async function readRows() {
        return hub
          .em()
          .getConnection()
          .execute<{ object_type: string; object_id: string; actor_id: string; request_id: string }[]>(
            `select object_type, object_id, actor_id, request_id from access_log where request_id = ? and action = 'READ'`,
            [requestId],
          );
      }

      it('audits one READ row per object read (Case, Household, each Resident, each CaseNote), not one per field', async () => {
        const rows = await readRows();
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(r.actor_id).toBe(worker.id);
        const keys = rows.map((r) => `${r.object_type}:${r.object_id}`);
        expect(new Set(keys).size, `duplicate READ rows: ${keys.join(', ')}`).toBe(keys.length);
        const ofType = (t: string) => rows.filter((r) => r.object_type === t).map((r) => r.object_id).sort();
        expect(ofType('Case')).toEqual([s.caseId]);
        expect(ofType('Household')).toEqual([s.householdId]);
        expect(ofType('Resident')).toEqual([...s.memberIds!].sort());
        expect(ofType('CaseNote')).toEqual([s.noteId]);
        expect(ofType('Consent')).toEqual([s.consentId]);
      });

      it('audits the ZRM assessment it read too (DESIGN.md 2: ZRM is audited personal data)', async () => {
        const rows = await readRows();
        expect(rows.filter((r) => r.object_type === 'ZrmAssessment').map((r) => r.object_id)).toEqual([s.zrmId]);
      });
    });

    it('TeamCases: pages with first/after, totalCount and hasNextPage', async () => {
      const all = [s.caseId!, ...s.extraCaseIds!];
      const first = await run('TeamCases', { teamId: team.id, first: 2 });
      expect(first.cases.totalCount).toBe(all.length);
      expect(first.cases.edges).toHaveLength(2);
      expect(first.cases.pageInfo.hasNextPage).toBe(true);
      // Newest registration first: the case the sequence opened (10 days ago) leads.
      expect(first.cases.edges[0].node).toMatchObject({
        id: s.caseId,
        status: 'ACTIVE',
        coordinator: { id: worker.id },
        household: { id: s.householdId, address: { postcode: '3563AB' } },
      });
      expect(first.cases.edges[0].node.latestZrm.scores).toHaveLength(13);
      expect(first.cases.pageInfo.endCursor).toBe(first.cases.edges[1].cursor);

      const rest = await run('TeamCases', { teamId: team.id, first: 2, after: first.cases.pageInfo.endCursor });
      expect(rest.cases.totalCount).toBe(all.length);
      expect(rest.cases.edges).toHaveLength(all.length - 2);
      expect(rest.cases.pageInfo.hasNextPage).toBe(false);

      const seen = [...first.cases.edges, ...rest.cases.edges].map((e: { node: { id: string } }) => e.node.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...all].sort());

      const filtered = await run('TeamCases', { teamId: team.id, status: ['REGISTERED'] });
      expect(filtered.cases.totalCount).toBe(s.extraCaseIds!.length);
    });

    it('TeamReferrals', async () => {
      const d = await run('TeamReferrals', { teamId: team.id, first: 10 });
      expect(d.referrals.totalCount).toBe(1);
      expect(d.referrals.pageInfo.hasNextPage).toBe(false);
      expect(d.referrals.edges[0].node).toMatchObject({
        id: referral.id,
        kind: 'GP_REFERRAL',
        status: 'RECEIVED',
        from: { id: gp.id, name: 'Huisartsenpraktijk Overvecht' },
        subject: { givenName: 'Hanneke', familyName: 'Brouwer' },
        arrears: null,
      });
    });

    it('TriageReferral', async () => {
      const d = await run('TriageReferral', { input: { referralId: referral.id, caseId: s.caseId, status: 'TRIAGED' } });
      expect(d.triageReferral).toEqual({ id: referral.id, status: 'TRIAGED', household: { id: s.householdId }, case: { id: s.caseId } });
    });

    it('RevokeConsent', async () => {
      const d = await run('RevokeConsent', { id: s.consentId });
      expect(d.revokeConsent.id).toBe(s.consentId);
      expect(d.revokeConsent.revokedAt).toEqual(expect.any(String));
    });

    it('RegisterFeedback', async () => {
      const d = await run('RegisterFeedback', {
        input: { teamId: team.id, caseId: s.caseId, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'Te lang moeten wachten op een eerste afspraak.' },
      });
      expect(d.registerFeedback).toMatchObject({ kind: 'COMPLAINT', status: 'OPEN' });
      s.feedbackId = d.registerFeedback.id;
    });

    it('ResolveFeedback (as the team lead)', async () => {
      const d = await run('ResolveFeedback', { id: s.feedbackId, status: 'RESOLVED', resolution: 'Excuses aangeboden.' }, tokens.lead);
      expect(d.resolveFeedback).toEqual({ id: s.feedbackId, status: 'RESOLVED' });
    });

    it('RequestWorkerChange', async () => {
      const d = await run('RequestWorkerChange', { input: { caseId: s.caseId, reason: 'Geen klik met de huidige medewerker.' } });
      expect(d.requestWorkerChange).toMatchObject({ status: 'REQUESTED', requestedAt: expect.any(String) });
    });

    it('CloseCase', async () => {
      const closedAt = new Date(Date.now() - 60_000).toISOString();
      const d = await run('CloseCase', { input: { caseId: s.caseId, closedAt, reason: 'AS_PLANNED', clientRating: 8, selfReliantAfter: true } });
      expect(d.closeCase).toMatchObject({ id: s.caseId, status: 'CLOSED', closureReason: 'AS_PLANNED', clientRating: 8, selfReliantAfter: true });
      expect(new Date(d.closeCase.closedAt).toISOString()).toBe(closedAt);
    });

    it('AccessReport: lists the reads and writes of the worker, and is itself logged as EXPORT', async () => {
      const residentId = s.memberIds![0]!;
      const d = await run('AccessReport', { residentId });
      const report = d.accessReport;
      expect(report.resident).toEqual({ id: residentId, givenName: 'Fatima', familyName: 'Bouzid' });
      const byWorker = report.entries.filter((e: { actor: { name: string } }) => e.actor.name === 'Sanne Visser');
      const actions = new Set(byWorker.map((e: { action: string }) => e.action));
      expect(actions.has('READ')).toBe(true);
      expect(actions.has('CREATE')).toBe(true);
      expect(byWorker.every((e: { actor: { role: string } }) => e.actor.role === 'TEAM_WORKER')).toBe(true);
      expect(report.entries.some((e: { action: string; objectType: string }) => e.action === 'CREATE' && e.objectType === 'Household')).toBe(true);
      expect(report.disclosures).toEqual([]);

      const rows = await hub
        .em()
        .getConnection()
        .execute<{ actor_id: string }[]>(
          `select actor_id from access_log where action = 'EXPORT' and object_type = 'AccessReport' and object_id = ?`,
          [residentId],
        );
      expect(rows.map((r) => r.actor_id)).toEqual([worker.id]);

      // The next report shows the previous one.
      const again = await hub.gql(teamText, { residentId }, tokens.worker, 'AccessReport');
      expectOk(again, 'AccessReport');
      expect(again.data!.accessReport.entries.some((e: { action: string }) => e.action === 'EXPORT')).toBe(true);
    });

    it('ran every operation of team.graphql', () => {
      expect([...executed].sort()).toEqual(operationNames(teamText).sort());
    });

    describe('admin.graphql (as ADMIN)', () => {
      // admin.graphql also holds operations of later issues that do not validate yet, and a
      // document is validated whole: each operation is sent on its own.
      async function runAdmin(name: string, variables: Record<string, unknown> = {}) {
        const res = await hub.gql(singleOperation(adminText, name), variables, tokens.admin, name);
        expectOk(res, name);
        return res.data!;
      }

      it('CreateStaff', async () => {
        const email = `joost.${randomUUID().slice(0, 8)}@voordeur.test`;
        const d = await runAdmin('CreateStaff', { input: { name: 'Joost Bakker', email, role: 'TEAM_WORKER', teamIds: [team.id] } });
        expect(d.createStaff).toMatchObject({ name: 'Joost Bakker', email, role: 'TEAM_WORKER', teams: [{ code: team.code }] });
      });

      it('CreateOrganisation and Organisations', async () => {
        const code = `woonin-${randomUUID().slice(0, 8)}`;
        const created = await runAdmin('CreateOrganisation', { input: { code, name: 'Woningcorporatie Test', kind: 'HOUSING_CORPORATION' } });
        expect(created.createOrganisation).toMatchObject({ code, name: 'Woningcorporatie Test', kind: 'HOUSING_CORPORATION' });
        const list = await runAdmin('Organisations');
        expect(list.organisations).toContainEqual({ id: created.createOrganisation.id, code, name: 'Woningcorporatie Test', kind: 'HOUSING_CORPORATION' });
        expect(list.organisations.map((o: { id: string }) => o.id)).toContain(gp.id);
      });
    });
  });
}
