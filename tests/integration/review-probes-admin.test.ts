/**
 * Review probes: privilege escalation and staff / organisation management (ADMIN and the
 * roles around it). Every probe asserts the SAFE behaviour, so a failing probe is a finding.
 *
 * Teams A (3941), B (3942) and a flex team; workers and leads of A and B, two flex workers,
 * an ambassador of A, an analyst, an admin; a GP practice (AGB 01474747), a housing
 * corporation, two informal-care organisations. All names and addresses are fake.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildCase, buildFlexAssignment, buildHousehold, buildNote, buildOrganisation, buildStaff, buildTeam, buildVolunteer } from '../../seeds/factories.js';
import { CaseStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { ruleTree } from '../../src/permissions/permissions.js';
import { pollPartner } from '../../src/jobs/sync.js';
import { HuisartsClient } from '../../integrations/huisarts/client.js';
import { HuisartsSimulator } from '../../integrations/huisarts/simulator.js';
import { AGB_SYSTEM } from '../../integrations/huisarts/schemas.js';
import { logger } from '../../src/logger.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';

const NOTE_B = 'Bijzonder-geheim-B-notitie-7731';
const AGB = '01474747';

let hub: TestHub;
let tA: Team, tB: Team, flexTeam: Team;
let workerA: Staff, leadA: Staff, workerB: Staff, leadB: Staff, flex: Staff, flex2: Staff, ambA: Staff, analyst: Staff, admin: Staff, oldStaff: Staff;
let gp: Organisation, corp: Organisation, careX: Organisation, careY: Organisation;
let caseA: Case, caseB: Case;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ok = (res: GqlResponse) => !res.errors?.length;

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}
const n = async (text: string, params: unknown[] = []) => Number((await q<{ n: string }>(text, params))[0]!.n);

const M = {
  staff: `mutation($i: CreateStaffInput!) { createStaff(input: $i) { id name email role teams { id } } }`,
  org: `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id code kind agbCode } }`,
  flex: `mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`,
};
const CASE = `query($id: ID!) { case(id: $id) { id status notes { edges { node { body } } } } }`;

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  tA = buildTeam(em, { postcodes: ['3941'] });
  tB = buildTeam(em, { postcodes: ['3942'] });
  flexTeam = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB] });
  leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tB] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam] });
  flex2 = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam] });
  analyst = buildStaff(em, { role: Role.ANALYST, teams: [] });
  admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  oldStaff = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB], email: 'oud.collega@voordeur.test', active: false });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-admin-probe', agbCode: AGB });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  careX = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  careY = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [tA], organisation: careX });
  const vol = buildVolunteer(em, { organisation: careX } as never);

  const a = buildHousehold(em, { team: tA, postcode: '3941AA', members: 1 });
  caseA = buildCase(em, { household: a.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const b = buildHousehold(em, { team: tB, postcode: '3942AA', members: 1 });
  caseB = buildCase(em, { household: b.household, status: CaseStatus.ACTIVE, coordinator: workerB });
  buildNote(em, { case: caseB, author: workerB, body: NOTE_B } as never);
  buildFlexAssignment(em, { staff: flex2, case: caseB, assignedBy: leadB, until: '2099-12-31' });
  await em.flush();
  for (const [k, p] of Object.entries({ workerA, leadA, workerB, leadB, flex, flex2, ambA, analyst, admin, gp, corp, vol })) {
    T[k] = await hub.tokenFor(p as { id: string });
  }
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------

describe('organisations: one AGB code, one practice', () => {
  it('ADM1: createOrganisation GP_PRACTICE with the AGB code of an existing practice is refused (CONFLICT); no second row', async () => {
    const res = await hub.gql(M.org, { i: { code: `gp-dup-${randomUUID().slice(0, 6)}`, name: 'Praktijk Dubbel', kind: 'GP_PRACTICE', agbCode: AGB } }, T.admin);
    expect(res.data?.createOrganisation ?? null, res.raw).toBeNull();
    expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(code(res));
    expect(await n(`select count(*) as n from organisation where agb_code = ?`, [AGB])).toBe(1);
  });

  it('ADM2: a polled GP ServiceRequest under an AGB code stays with the practice that owns it, also after a second practice was registered with that code', async () => {
    const em = hub.em();
    const agb = '01474748';
    const owner = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-agb-owner', agbCode: agb });
    buildTeam(em, { postcodes: ['3943'] });
    await em.flush();
    const created = await hub.gql(M.org, { i: { code: 'gp-agb-impostor', name: 'Praktijk Nieuw', kind: 'GP_PRACTICE', agbCode: agb } }, T.admin);
    const impostorId: string | undefined = created.data?.createOrganisation?.id;
    // Any later write to the owner's row (a rename, a migration) moves it behind the new row in
    // PostgreSQL's heap; the AGB lookup (findOne without order) then returns whichever comes first.
    await q(`update organisation set name = name where id = ?`, [owner.id]);
    const sim = new HuisartsSimulator();
    await sim.start();
    try {
      sim.addServiceRequest({ id: 'SR-ADMIN-PROBE', requester: { system: AGB_SYSTEM, value: agb }, postcode: '3943AB', bsn: null });
      const deps = { orm: hub.db.orm, config: hub.config, log: logger, huisarts: new HuisartsClient(sim.url, { timeoutMs: 2000 }), corporation: null };
      await pollPartner(deps as never, 'huisarts', 'probe-admin-1');
    } finally {
      await sim.stop();
    }
    const rows = await q<{ from_id: string }>(`select from_id from referral where external_id = 'SR-ADMIN-PROBE'`);
    const LIST = `{ referrals(first: 50) { totalCount edges { node { externalId status receivedAt } } } }`;
    const impostorView = impostorId ? await hub.gql(LIST, {}, await hub.tokenFor(impostorId)) : null;
    const ownerView = await hub.gql(LIST, {}, await hub.tokenFor(owner.id));
    console.log('ADM2 observed', JSON.stringify({ created: created.raw, attributedTo: rows.map((r) => (r.from_id === owner.id ? 'owner' : r.from_id === impostorId ? 'impostor' : r.from_id)), impostorView: impostorView?.raw, ownerView: ownerView.raw }));
    expect(rows).toHaveLength(1);
    expect(impostorView?.raw ?? '', 'the newly registered practice\'s app lists the owner\'s referral').not.toContain('SR-ADMIN-PROBE');
    expect(rows[0]!.from_id, `referral attributed to ${rows[0]!.from_id === impostorId ? 'the newly registered practice' : 'another'} (owner ${owner.id})`).toBe(owner.id);
  });

  it('ADM2b: the same without any later write to the owner\'s row: the polled referral goes to the owner', async () => {
    const em = hub.em();
    const agb = '01474751';
    const owner = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-agb-owner-2', agbCode: agb });
    await em.flush();
    const created = await hub.gql(M.org, { i: { code: 'gp-agb-impostor-2', name: 'Praktijk Nieuw 2', kind: 'GP_PRACTICE', agbCode: agb } }, T.admin);
    const sim = new HuisartsSimulator();
    await sim.start();
    try {
      sim.addServiceRequest({ id: 'SR-ADMIN-PROBE-2', requester: { system: AGB_SYSTEM, value: agb }, postcode: '3943AC', bsn: null });
      const deps = { orm: hub.db.orm, config: hub.config, log: logger, huisarts: new HuisartsClient(sim.url, { timeoutMs: 2000 }), corporation: null };
      await q(`update sync_state set locked_until = null where partner = 'huisarts'`);
      await pollPartner(deps as never, 'huisarts', 'probe-admin-2');
    } finally {
      await sim.stop();
    }
    const rows = await q<{ from_id: string }>(`select from_id from referral where external_id = 'SR-ADMIN-PROBE-2'`);
    console.log('ADM2b observed', JSON.stringify({ impostor: created.data?.createOrganisation?.id, attributedTo: rows.map((r) => (r.from_id === owner.id ? 'owner' : r.from_id)) }));
    expect(rows.map((r) => r.from_id)).toEqual([owner.id]);
  });

  it('ADM3 (control): an organisation of a kind without a client login is no principal; a new GP practice\'s app sees no other practice\'s referrals', async () => {
    const care = await hub.gql(M.org, { i: { code: 'care-no-login', name: 'Zorg BV', kind: 'CARE_PROVIDER' } }, T.admin);
    expect(ok(care), care.raw).toBe(true);
    const res = await hub.gql(`{ me { id role } }`, {}, await hub.tokenFor(care.data!.createOrganisation.id));
    expect(code(res)).toBe('UNAUTHENTICATED');
    const muni = await hub.gql(M.org, { i: { code: 'gemeente-probe', name: 'Gemeente', kind: 'MUNICIPALITY' } }, T.admin);
    expect(code(await hub.gql(`{ me { id } }`, {}, await hub.tokenFor(muni.data!.createOrganisation.id)))).toBe('UNAUTHENTICATED');
  });

  it('ADM4 (control): agbCode on a non-GP organisation is refused; there is no mutation that changes an organisation\'s kind or code', async () => {
    const res = await hub.gql(M.org, { i: { code: 'corp-with-agb', name: 'Corp', kind: 'HOUSING_CORPORATION', agbCode: '01999999' } }, T.admin);
    expect(code(res)).toBe('BAD_USER_INPUT');
    const schema = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(schema).not.toMatch(/\b(update|change|set|edit|deactivate|remove)(Organisation|Staff|Team)\w*\s*\(/i);
  });
});

// ---------------------------------------------------------------------------------------------

describe('audit of administrative changes', () => {
  it('ADM5: createStaff writes a CREATE row naming the admin and the new staff member', async () => {
    const res = await hub.gql(M.staff, { i: { name: 'Audit Nieuw', email: `audit.${randomUUID().slice(0, 6)}@voordeur.test`, role: 'TEAM_WORKER', teamIds: [tB.id] } }, T.admin);
    expect(ok(res), res.raw).toBe(true);
    const id = res.data!.createStaff.id;
    const rows = await q<{ action: string; actor_id: string; object_type: string }>(`select action, actor_id, object_type from access_log where object_id = ?`, [id]);
    expect(rows, 'no audit row for the new staff member (who granted team B\'s case file to whom?)').toContainEqual({ action: 'CREATE', actor_id: admin.id, object_type: 'Staff' });
  });

  it('ADM6: createOrganisation writes a CREATE row naming the admin', async () => {
    const res = await hub.gql(M.org, { i: { code: `audit-org-${randomUUID().slice(0, 6)}`, name: 'Audit Praktijk', kind: 'GP_PRACTICE', agbCode: '01474749' } }, T.admin);
    expect(ok(res), res.raw).toBe(true);
    const rows = await q<{ action: string; actor_id: string }>(`select action, actor_id from access_log where object_id = ?`, [res.data!.createOrganisation.id]);
    expect(rows).toContainEqual({ action: 'CREATE', actor_id: admin.id });
  });

  it('ADM7 (control): assignFlexWorker by the admin writes a CREATE row for the assignment', async () => {
    const res = await hub.gql(M.flex, { i: { staffId: flex.id, caseId: caseA.id, until: '2099-01-31' } }, T.admin);
    expect(ok(res), res.raw).toBe(true);
    const rows = await q<{ action: string; actor_id: string }>(`select action, actor_id from access_log where object_type = 'FlexAssignment' and object_id = ?`, [res.data!.assignFlexWorker.id]);
    expect(rows).toContainEqual({ action: 'CREATE', actor_id: admin.id });
    // and the answer carries nothing of the case
    expect(Object.keys(res.data!.assignFlexWorker).sort()).toEqual(['id', 'until']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('createStaff: no takeover, no role/team combination beyond DESIGN', () => {
  it('ADM8: the email of a deactivated staff member (other case, padded) is CONFLICT; the old account stays deactivated', async () => {
    for (const email of ['oud.collega@voordeur.test', 'OUD.Collega@Voordeur.test', '  oud.collega@voordeur.test ']) {
      const res = await hub.gql(M.staff, { i: { name: 'Nieuwe Oud', email, role: 'TEAM_LEAD', teamIds: [tB.id] } }, T.admin);
      expect(code(res), email).toBe('CONFLICT');
    }
    const [row] = await q<{ active: boolean; role: string }>(`select active, role from staff where id = ?`, [oldStaff.id]);
    expect(row).toEqual({ active: false, role: 'TEAM_WORKER' });
    expect(code(await hub.gql(`{ me { id } }`, {}, await hub.tokenFor(oldStaff)))).toBe('UNAUTHENTICATED');
  });

  it('ADM9: ANALYST or ADMIN with teams, and VOLUNTEER / PARTNER_CORPORATION as a staff role, are BAD_USER_INPUT', async () => {
    const base = { name: 'Rol Probe', teamIds: [tB.id] };
    for (const role of ['ANALYST', 'ADMIN', 'VOLUNTEER', 'PARTNER_CORPORATION']) {
      const res = await hub.gql(M.staff, { i: { ...base, role, email: `rol.${role.toLowerCase()}@voordeur.test` } }, T.admin);
      expect(code(res), role).toBe('BAD_USER_INPUT');
    }
    expect(await n(`select count(*) as n from staff where name = 'Rol Probe'`)).toBe(0);
  });

  it('ADM10: an AMBASSADOR must come from an informal-care organisation (none, or a GP practice, is refused)', async () => {
    const none = await hub.gql(M.staff, { i: { name: 'Amb Zonder', email: 'amb.zonder@voordeur.test', role: 'AMBASSADOR', teamIds: [tB.id] } }, T.admin);
    const gpOrg = await hub.gql(M.staff, { i: { name: 'Amb Huisarts', email: 'amb.huisarts@voordeur.test', role: 'AMBASSADOR', teamIds: [tB.id], organisationId: gp.id } }, T.admin);
    expect(code(none), none.raw).toBe('BAD_USER_INPUT');
    expect(code(gpOrg), gpOrg.raw).toBe('BAD_USER_INPUT');
  });

  it('ADM11: a second AMBASSADOR for a team that has one ("one per team") is refused', async () => {
    const res = await hub.gql(M.staff, { i: { name: 'Amb Twee', email: 'amb.twee@voordeur.test', role: 'AMBASSADOR', teamIds: [tA.id], organisationId: careY.id } }, T.admin);
    expect(res.data?.createStaff ?? null, res.raw).toBeNull();
    expect(['CONFLICT', 'BAD_USER_INPUT']).toContain(code(res));
  });

  it('ADM12 (control): a newly created ANALYST gets aggregates only, no case of any team', async () => {
    const res = await hub.gql(M.staff, { i: { name: 'Analist Nieuw', email: 'analist.nieuw@voordeur.test', role: 'ANALYST' } }, T.admin);
    expect(ok(res), res.raw).toBe(true);
    const t = await hub.tokenFor(res.data!.createStaff.id);
    for (const id of [caseA.id, caseB.id]) expect(code(await hub.gql(CASE, { id }, t))).toBe('FORBIDDEN');
    expect(code(await hub.gql(`{ cases { totalCount } }`, {}, t))).toBe('FORBIDDEN');
  });
});

// ---------------------------------------------------------------------------------------------

/** A literal of the given input type (non-null fields only), for a request that passes validation. */
function literal(t: GraphQLInputType, depth = 0): string {
  if (isNonNullType(t)) return literal(t.ofType, depth);
  if (isListType(t)) return `[${literal(t.ofType, depth)}]`;
  if (isEnumType(t)) return t.getValues()[0]!.name;
  if (isInputObjectType(t)) {
    const parts = Object.values(t.getFields())
      .filter((f) => isNonNullType(f.type))
      .map((f) => `${f.name}: ${literal(f.type, depth + 1)}`);
    return `{ ${parts.join(', ')} }`;
  }
  if (isScalarType(t)) {
    switch (t.name) {
      case 'ID': return `"${randomUUID()}"`;
      case 'String': return '"x"';
      case 'Int': return '1';
      case 'Float': return '1.5';
      case 'Boolean': return 'true';
      case 'Date': return '"2020-01-01"';
      case 'DateTime': return '"2020-01-01T00:00:00.000Z"';
    }
  }
  throw new Error(`no literal for ${String(t)}`);
}

function mutationDocs(schema: GraphQLSchema): { name: string; doc: string }[] {
  return Object.values(schema.getMutationType()!.getFields()).map((f) => {
    const args = f.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(a.type)}`);
    const sel = isObjectType(getNamedType(f.type)) ? ' { __typename }' : '';
    return { name: f.name, doc: `mutation { ${f.name}${args.length ? `(${args.join(', ')})` : ''}${sel} }` };
  });
}

const SDL = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const ADMIN_MUTATIONS = new Set(['createStaff', 'createOrganisation', 'assignFlexWorker', 'retryFailedJob', 'registerVolunteer']);

describe('every mutation of schema.graphql, per role', () => {
  it('ADM13: ADMIN gets FORBIDDEN on every mutation but its own five (none of them touches case content)', async () => {
    const through: string[] = [];
    for (const { name, doc } of mutationDocs(SDL)) {
      if (ADMIN_MUTATIONS.has(name)) continue;
      const res = await hub.gql(doc, {}, T.admin);
      if (code(res) !== 'FORBIDDEN') through.push(`${name}: ${res.raw.slice(0, 200)}`);
    }
    expect(through).toEqual([]);
  });

  it('ADM14: ANALYST gets FORBIDDEN on every mutation', async () => {
    const through: string[] = [];
    for (const { name, doc } of mutationDocs(SDL)) {
      const res = await hub.gql(doc, {}, T.analyst);
      if (code(res) !== 'FORBIDDEN') through.push(`${name}: ${res.raw.slice(0, 200)}`);
    }
    expect(through).toEqual([]);
  });

  it('ADM15: createStaff, createOrganisation and retryFailedJob are FORBIDDEN to every other role, and nothing is created', async () => {
    const staffBefore = await n(`select count(*) as n from staff`);
    const orgBefore = await n(`select count(*) as n from organisation`);
    const through: string[] = [];
    for (const who of ['workerA', 'leadA', 'flex', 'ambA', 'analyst', 'vol', 'gp', 'corp']) {
      for (const [q2, v] of [
        [M.staff, { i: { name: 'Escalatie', email: `esc.${who.toLowerCase()}@voordeur.test`, role: 'ADMIN' } }],
        [M.staff, { i: { name: 'Escalatie', email: `esc2.${who.toLowerCase()}@voordeur.test`, role: 'TEAM_LEAD', teamIds: [tB.id] } }],
        [M.org, { i: { code: `esc-${who.toLowerCase()}`, name: 'Esc', kind: 'GP_PRACTICE', agbCode: '01474750' } }],
        [`mutation { retryFailedJob(id: "huisarts:1") }`, {}],
      ] as [string, Record<string, unknown>][]) {
        const res = await hub.gql(q2, v, T[who]);
        if (code(res) !== 'FORBIDDEN') through.push(`${who}: ${res.raw.slice(0, 160)}`);
      }
      // registerVolunteer: an ambassador only for their own organisation (careX), others not at all.
      const rv = await hub.gql(
        `mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }`,
        { i: { organisationId: careY.id, givenName: 'Esc', familyName: 'Alatie', email: `rv.${who.toLowerCase()}@voordeur.test`, postcode: '3941AA', skills: [], languages: [], availability: [], maxMatches: 1 } },
        T[who],
      );
      if (code(rv) !== 'FORBIDDEN') through.push(`${who} registerVolunteer: ${rv.raw.slice(0, 160)}`);
    }
    expect(through).toEqual([]);
    expect(await n(`select count(*) as n from staff`)).toBe(staffBefore);
    expect(await n(`select count(*) as n from organisation`)).toBe(orgBefore);
  });
});

// ---------------------------------------------------------------------------------------------

describe('what ADMIN can reach through the graph', () => {
  it('ADM16: every type reachable by ADMIN through allowed fields is management data (no case content type)', () => {
    const ctx = { viewer: { role: Role.ADMIN, kind: 'staff', teamIds: new Set(), memberTeamIds: new Set(), flexCaseIds: new Set(), flexHouseholdIds: new Set() }, audit: { denied() {} } };
    const allowed = (type: GraphQLObjectType, field: string) => {
      const r = ruleTree[type.name]?.[field];
      return !!r && r.check(ctx as never, { parentType: type, fieldName: field, fieldNodes: [] } as never) === true;
    };
    const seen = new Set<string>();
    const edges: string[] = [];
    const queue: GraphQLObjectType[] = [SDL.getQueryType()!, SDL.getMutationType()!];
    while (queue.length) {
      const type = queue.shift()!;
      for (const f of Object.values(type.getFields())) {
        if (!allowed(type, f.name)) continue;
        const target = getNamedType(f.type);
        if (isObjectType(target)) {
          edges.push(`${type.name}.${f.name} -> ${target.name}`);
          if (!seen.has(target.name)) {
            seen.add(target.name);
            queue.push(target);
          }
        }
      }
    }
    const MANAGEMENT = new Set(['Me', 'Team', 'Organisation', 'Staff', 'FlexAssignment', 'IntegrationHealth', 'FailedJob', 'Volunteer', 'AvailabilitySlot', 'InformalCareVocabulary']);
    expect([...seen].filter((t) => !MANAGEMENT.has(t)), edges.join('\n')).toEqual([]);
  });

  it('ADM17: the admin\'s assignFlexWorker answers a closed case, an open case of any team and a random id without case content in the body', async () => {
    const res = await hub.gql(M.flex, { i: { staffId: flex.id, caseId: caseB.id, until: '2099-02-28' } }, T.admin);
    expect(ok(res), res.raw).toBe(true);
    expect(res.raw).not.toContain(NOTE_B);
    expect(code(await hub.gql(CASE, { id: caseB.id }, T.admin))).toBe('FORBIDDEN');
  });
});

// ---------------------------------------------------------------------------------------------

describe('flex assignments: leads only on their own teams; access ends with the account', () => {
  it('ADM18: lead A cannot end or move flex2\'s assignment on team B\'s case (NOT_FOUND); flex2 keeps access', async () => {
    for (const until of ['2000-01-01', '2199-12-31']) {
      const res = await hub.gql(M.flex, { i: { staffId: flex2.id, caseId: caseB.id, until } }, T.leadA);
      expect(code(res)).toBe('NOT_FOUND');
    }
    const [row] = await q<{ until: string }>(`select until::text as until from flex_assignment where staff_id = ? and case_id = ?`, [flex2.id, caseB.id]);
    expect(row!.until).toBe('2099-12-31');
    const view = await hub.gql(CASE, { id: caseB.id }, T.flex2);
    expect(view.data?.case?.id, view.raw).toBe(caseB.id);
  });

  it('ADM19: a team worker cannot assign flex workers; a lead cannot assign a non-flex staff member (themselves, a worker)', async () => {
    expect(code(await hub.gql(M.flex, { i: { staffId: flex.id, caseId: caseA.id, until: '2099-01-01' } }, T.workerA))).toBe('FORBIDDEN');
    for (const s of [leadA, workerB, analyst, admin]) {
      expect(code(await hub.gql(M.flex, { i: { staffId: s.id, caseId: caseA.id, until: '2099-01-01' } }, T.leadA)), s.role).toBe('BAD_USER_INPUT');
    }
    expect(await n(`select count(*) as n from flex_assignment where staff_id in (?, ?, ?, ?)`, [leadA.id, workerB.id, analyst.id, admin.id])).toBe(0);
  });

  it('ADM20: a flex worker whose role changes loses the assigned case on the next request; deactivated, the token is refused', async () => {
    expect((await hub.gql(CASE, { id: caseB.id }, T.flex2)).data?.case?.id).toBe(caseB.id);
    await q(`update staff set role = 'AMBASSADOR' where id = ?`, [flex2.id]);
    const asAmb = await hub.gql(CASE, { id: caseB.id }, T.flex2);
    expect(code(asAmb)).toBe('FORBIDDEN');
    expect(asAmb.raw).not.toContain(NOTE_B);
    await q(`update staff set role = 'FLEX_WORKER', active = false where id = ?`, [flex2.id]);
    const off = await hub.gql(CASE, { id: caseB.id }, T.flex2);
    expect(code(off)).toBe('UNAUTHENTICATED');
    expect(off.raw).not.toContain(NOTE_B);
    // An inactive flex worker cannot be given new access either.
    expect(code(await hub.gql(M.flex, { i: { staffId: flex2.id, caseId: caseB.id, until: '2099-06-30' } }, T.leadB))).toBe('BAD_USER_INPUT');
    await q(`update staff set active = true where id = ?`, [flex2.id]);
  });
});
