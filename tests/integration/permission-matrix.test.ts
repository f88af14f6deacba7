/**
 * The permission matrix (DESIGN.md section 2, "who sees what"), over real HTTP against the
 * demo seed: one row per (principal, operation, expected outcome). The operations are the
 * client contract (../shared/contract/*.graphql, every role × every file) plus probes of the
 * leak paths: nested fields, aliases, a batch of ids, another partner's referral id, another
 * team's resident in accessReport, an ANALYST or ADMIN asking for case content.
 *
 * For every refused row the response must carry the expected code and no value of the
 * protected objects anywhere in its body (team B's case file by default, plus the object the
 * row aims at). Contract operations of features that have not landed yet (PENDING below) are
 * listed as `pending`: they must still fail validation, so the row turns red when the feature
 * lands and has to be given its real expectation (as was done for issues 6 and 7 and for
 * submitReferral of issue 5).
 *
 * Team A is overvecht-centrum, team B is zuilen. After seeding, a few households get
 * distinctive marker values (names, street, postcode, phones, a note) so leak checks can bite
 * (the seed's own names and note texts repeat across teams).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, operationNames, singleOperation, startTestHub, TEST_BSN_KEY, type GqlResponse, type TestHub } from '../helpers/app.js';
import { DEMO_FLEX_TEAM, seedDemo } from '../../seeds/demo.js';
import { buildReferral, ZRM_DOMAINS } from '../../seeds/factories.js';
import { ReferralKind, ReferralStatus, Role, ZrmVersion } from '../../src/modules/common/enums.js';
import { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import { Team } from '../../src/modules/team/team.entity.js';

// ---------------------------------------------------------------------------------------
// The contract

const FILES = ['team.graphql', 'admin.graphql', 'dashboard.graphql', 'informal-care.graphql', 'partner-gp.graphql', 'partner-corporation.graphql'] as const;
type ContractFileName = (typeof FILES)[number];
const CONTRACT = Object.fromEntries(FILES.map((f) => [f, contractFile(f)])) as Record<ContractFileName, string | null>;
const haveContract = FILES.every((f) => CONTRACT[f] !== null);

/**
 * Contract operations that do not validate yet (the feature's issue has not landed), with
 * what the matrix must expect once they do. Each pending row asserts the operation still
 * fails validation; when it stops failing, replace the pending row by real rows.
 */
const PENDING: Record<string, string> = {};
const PENDING_FILES = new Set(Object.keys(PENDING).map((k) => k.split(':')[0]!));


/** The whole file as a client sends it, unless it holds operations that do not validate yet. */
function documentFor(file: ContractFileName, name: string): string {
  const text = CONTRACT[file]!;
  return PENDING_FILES.has(file) ? singleOperation(text, name) : text;
}

// ---------------------------------------------------------------------------------------
// Principals

type Who =
  | 'worker' | 'lead' | 'flex' | 'ambassador' | 'volunteer' | 'gp' | 'corp' | 'analyst' | 'admin' | 'anon'
  | 'workerB' | 'leadB' | 'ambassadorB' | 'gp2' | 'corp2';

/** One principal of each of the nine roles, plus no token at all. */
const MAIN: Who[] = ['worker', 'lead', 'flex', 'ambassador', 'volunteer', 'gp', 'corp', 'analyst', 'admin', 'anon'];

const ROLE_OF: Record<Who, Role | null> = {
  worker: Role.TEAM_WORKER,
  lead: Role.TEAM_LEAD,
  flex: Role.FLEX_WORKER,
  ambassador: Role.AMBASSADOR,
  volunteer: Role.VOLUNTEER,
  gp: Role.PARTNER_GP,
  corp: Role.PARTNER_CORPORATION,
  analyst: Role.ANALYST,
  admin: Role.ADMIN,
  anon: null,
  workerB: Role.TEAM_WORKER,
  leadB: Role.TEAM_LEAD,
  ambassadorB: Role.AMBASSADOR,
  gp2: Role.PARTNER_GP,
  corp2: Role.PARTNER_CORPORATION,
};

const LABEL: Record<Who, string> = {
  worker: 'TEAM_WORKER',
  lead: 'TEAM_LEAD',
  flex: 'FLEX_WORKER',
  ambassador: 'AMBASSADOR',
  volunteer: 'VOLUNTEER',
  gp: 'PARTNER_GP',
  corp: 'PARTNER_CORPORATION',
  analyst: 'ANALYST',
  admin: 'ADMIN',
  anon: 'no token',
  workerB: 'TEAM_WORKER (team B)',
  leadB: 'TEAM_LEAD (team B)',
  ambassadorB: 'AMBASSADOR (team B)',
  gp2: 'PARTNER_GP (gp-overvecht)',
  corp2: 'PARTNER_CORPORATION (corp-portaal)',
};

const TEAM_A = 'overvecht-centrum';
const TEAM_B = 'zuilen';

// ---------------------------------------------------------------------------------------
// Seeded objects and their protected values (filled in beforeAll)

interface Marker {
  given: string;
  family: string;
  street: string;
  postcode: string;
  phone: string;
  note: string;
}
const MARK_A: Marker = { given: 'Quirijntje', family: 'Zonneveld-Xylofoon', street: 'Xylofoonsteeg', postcode: '3562QX', phone: '06-1357924', note: 'SECRET-A-NOTE-MATRIX' };
const MARK_M: Marker = { given: 'Merijntje', family: 'Yzerman-Matchmaker', street: 'Yzermanhof', postcode: '3562QY', phone: '06-9753124', note: 'SECRET-M-NOTE-MATRIX' };
const MARK_B: Marker = { given: 'Zwaantje', family: 'Bzzlaar', street: 'Bzzlaarsteeg', postcode: '3554QX', phone: '06-2468024', note: 'SECRET-B-NOTE-MATRIX' };
const MARK_F: Marker = { given: 'Flevoortje', family: 'Flexhuys-Matrix', street: 'Flexsteeg', postcode: '3563QX', phone: '06-8642024', note: 'SECRET-F-NOTE-MATRIX' };
const GP_REASON = 'SECRET-GP-REASON-MATRIX';
const CORP_REASON = 'SECRET-CORP-REASON-MATRIX';
const CORP_AMOUNT = '4321.77';

interface CaseInfo {
  id: string;
  teamId: string;
  householdId: string;
  residents: { id: string; givenName: string; familyName: string; phone: string | null; bsnLast4: string | null }[];
  noteIds: string[];
  marker: Marker;
}

/** Every value of a marked case file; `except` drops some kinds (e.g. the pseudonymised given name). */
function caseValues(c: CaseInfo, except: { givenNames?: boolean } = {}): string[] {
  return [
    c.id,
    c.householdId,
    ...c.residents.map((r) => r.id),
    ...c.noteIds,
    ...(except.givenNames ? [] : c.residents.map((r) => r.givenName)),
    ...c.residents.map((r) => r.familyName),
    ...c.residents.flatMap((r) => (r.phone ? [r.phone] : [])),
    ...c.residents.flatMap((r) => (r.bsnLast4 ? [r.bsnLast4] : [])),
    c.marker.street,
    c.marker.postcode,
    c.marker.note,
  ];
}

const S = {} as {
  ids: Record<Who, string>;
  tokens: Partial<Record<Who, string>>;
  teamA: string;
  teamB: string;
  flexTeam: string;
  flexCaseTeam: string;
  caseA: CaseInfo; // ACTIVE case of team A whose OPEN request has volunteer1's PROPOSED match
  caseM: CaseInfo; // ACTIVE case of team A whose MATCHED request has volunteer1's ACTIVE match
  caseB: CaseInfo; // ACTIVE case of team B
  caseF: CaseInfo; // the flex worker's assigned case (team overvecht-noord)
  casesOfA: string[];
  referralsOfA: string[];
  referralsOfB: string[];
  requestsOfB: string[];
  openRequestsOfA: string[];
  requestA: string; // OPEN request on caseA
  requestAResident: string;
  matchActive: string;
  matchProposed: string;
  matchedResident: string;
  matchedPhone: string;
  otherMatchesOfA: string[]; // matches of other volunteers in team A
  gpRef: string; // a seeded referral of gp-de-linde
  gpRefHousehold: string | null;
  gpRefCase: string | null;
  gpRefs: string[]; // all referrals of gp-de-linde
  gpRefsExternal: string[];
  gpCancellable: string; // a RECEIVED referral of gp-de-linde made for CancelReferral
  gp2RefA: string; // gp-overvecht's referral in team A
  gp2Refs: string[];
  corpSignalA: string; // corp-mitros' RECEIVED signal in team A
  corpSignals: string[];
  corp2Signals: string[];
  flexReferrals: string[];
  flexOpenRequests: number;
  volunteersOfAmbassadorOrg: string[];
  volunteer1Org: string;
  ambassadorOrg: string;
  candidate: string; // an eligible volunteer of the ambassador's organisation for requestA
  gpOrg: string;
  // filled in as the mutation rows run
  m: {
    householdId?: string;
    memberIds?: string[];
    caseId?: string;
    consentId?: string;
    feedbackId?: string;
    newFlexStaff?: string;
  };
};
S.m = {};

/** Team B's case file, its referrals and requests: never in a response to anyone outside team B. */
function bValues(): string[] {
  return [...caseValues(S.caseB), ...S.referralsOfB, ...S.requestsOfB];
}

// ---------------------------------------------------------------------------------------
// The matrix

type Code = 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT';
type Outcome = 'ok' | Code | 'pending';
type Vars = Record<string, unknown>;

interface Row {
  who: Who;
  /** Label of the operation: `file:Operation` for the contract, a short description for probes. */
  op: string;
  contract?: [ContractFileName, string];
  query?: string;
  variables?: () => Vars;
  expect: Outcome;
  /** Denied rows: the data may hold allowed parts next to the refusal (aliases, nested fields). */
  partial?: boolean;
  /** Values that must not appear in the body. Denied rows also check team B's values and `target`. */
  protect?: () => string[];
  /** The object a denied row aims at: none of its values may appear. */
  target?: () => string[];
  /** Sanity checks on the response (ok rows: the data; denied rows: anything beyond the code). */
  check?: (res: GqlResponse, row: Row) => void | Promise<void>;
  /** Pending rows: the issue that adds the operation and the expectation once it lands. */
  reason?: string;
}

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const RANDOM_ID = randomUUID();

const c = (file: ContractFileName, op: string): [ContractFileName, string] => [file, op];
const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id);

/** Every read operation of the contract that validates today, with its variables per principal. */
interface ContractRead {
  contract: [ContractFileName, string];
  variables?: (who: Who) => Vars;
  outcome: Record<Who, Outcome>;
  target?: (who: Who) => string[];
  protect?: (who: Who) => string[];
  partial?: Partial<Record<Who, boolean>>;
  check?: Partial<Record<Who, (res: GqlResponse) => void | Promise<void>>>;
}

const CASE_ROLES_OK = { worker: 'ok', lead: 'ok', flex: 'ok' } as const;
const NON_CASE_FORBIDDEN = {
  ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN',
} as const;
const EXTRA_NONE = { workerB: 'ok', leadB: 'ok', ambassadorB: 'ok', gp2: 'ok', corp2: 'ok' } as const;

const CONTRACT_READS: ContractRead[] = [
  {
    contract: c('team.graphql', 'Me'),
    outcome: { ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'ok', ambassador: 'ok', volunteer: 'ok', gp: 'ok', corp: 'ok', analyst: 'ok', admin: 'ok', anon: 'UNAUTHENTICATED' },
    check: Object.fromEntries(
      MAIN.filter((w) => w !== 'anon').map((w) => [
        w,
        (res: GqlResponse) => {
          expect(res.data!.me).toMatchObject({ id: S.ids[w], role: ROLE_OF[w] });
        },
      ]),
    ),
  },
  {
    contract: c('team.graphql', 'Teams'),
    outcome: { ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'ok', ambassador: 'ok', volunteer: 'ok', gp: 'ok', corp: 'ok', analyst: 'ok', admin: 'ok', anon: 'UNAUTHENTICATED' },
    check: Object.fromEntries(
      MAIN.filter((w) => w !== 'anon').map((w) => [
        w,
        (res: GqlResponse) => {
          expect(res.data!.teams.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([S.teamA, S.teamB, S.flexTeam]));
        },
      ]),
    ),
  },
  {
    contract: c('team.graphql', 'CaseDetail'),
    variables: (w) => ({ id: w === 'flex' ? S.caseF.id : S.caseA.id }),
    outcome: { ...EXTRA_NONE, ...CASE_ROLES_OK, ...NON_CASE_FORBIDDEN, anon: 'UNAUTHENTICATED' },
    target: () => caseValues(S.caseA),
    protect: (w) => (w === 'flex' ? [...caseValues(S.caseA), ...caseValues(S.caseM), ...bValues()] : bValues()),
    check: {
      worker: (res) => expectCaseDetail(res, S.caseA),
      lead: (res) => expectCaseDetail(res, S.caseA),
      flex: (res) => expectCaseDetail(res, S.caseF),
    },
  },
  {
    contract: c('team.graphql', 'TeamCases'),
    variables: (w) => ({ teamId: w === 'flex' ? S.flexCaseTeam : S.teamA, first: 100 }),
    // The flex worker sees assigned cases only, never the team's list.
    outcome: { ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'FORBIDDEN', ...NON_CASE_FORBIDDEN, anon: 'UNAUTHENTICATED' },
    target: (w) => (w === 'flex' ? caseValues(S.caseF, { givenNames: false }).filter((v) => v !== S.caseF.id) : caseValues(S.caseA)),
    protect: () => bValues(),
    check: {
      worker: (res) => expectTeamCases(res),
      lead: (res) => expectTeamCases(res),
    },
  },
  {
    contract: c('team.graphql', 'TeamReferrals'),
    variables: (w) => ({ teamId: w === 'flex' ? S.flexCaseTeam : S.teamA, first: 100 }),
    // A partner sees what it sent, never a team's inbox: filter.teamId is refused for partners.
    outcome: {
      ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'FORBIDDEN', ...NON_CASE_FORBIDDEN, gp: 'BAD_USER_INPUT', corp: 'BAD_USER_INPUT', anon: 'UNAUTHENTICATED',
    },
    target: () => [...S.referralsOfA, GP_REASON, CORP_REASON, CORP_AMOUNT],
    protect: () => bValues(),
    check: {
      worker: (res) => expectSameIds(ids(res.data!.referrals), S.referralsOfA),
      lead: (res) => expectSameIds(ids(res.data!.referrals), S.referralsOfA),
    },
  },
  {
    contract: c('team.graphql', 'AccessReport'),
    // The flex worker asks for a resident of the household assigned to them, and is refused:
    // the report covers the whole household's file, not only the assigned case.
    variables: (w) => ({ residentId: w === 'flex' ? S.caseF.residents[0]!.id : S.caseA.residents[0]!.id }),
    outcome: { ...EXTRA_NONE, ...CASE_ROLES_OK, flex: 'FORBIDDEN', ...NON_CASE_FORBIDDEN, anon: 'UNAUTHENTICATED' },
    target: () => caseValues(S.caseA),
    protect: () => bValues(),
    check: {
      worker: (res) => expect(res.data!.accessReport.resident.id).toBe(S.caseA.residents[0]!.id),
      lead: (res) => expect(res.data!.accessReport.resident.id).toBe(S.caseA.residents[0]!.id),
    },
  },
  {
    contract: c('admin.graphql', 'IntegrationHealth'),
    outcome: {
      ...EXTRA_NONE, worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN',
      gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'ok', anon: 'UNAUTHENTICATED',
    },
    check: {
      admin: (res) => expect(res.data!.integrations.map((i: { partner: string }) => i.partner).sort()).toEqual(['corporation', 'huisarts']),
    },
  },
  {
    contract: c('admin.graphql', 'Organisations'),
    outcome: {
      ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'ok', admin: 'ok',
      ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', anon: 'UNAUTHENTICATED',
    },
    target: () => [S.gpOrg],
    check: Object.fromEntries(
      (['worker', 'lead', 'flex', 'admin'] as Who[]).map((w) => [
        w,
        (res: GqlResponse) => expect(res.data!.organisations.map((o: { id: string }) => o.id)).toContain(S.gpOrg),
      ]),
    ),
  },
  {
    contract: c('informal-care.graphql', 'OpenInformalCareRequests'),
    variables: () => ({ first: 100 }),
    outcome: {
      ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'ok', ambassador: 'ok',
      volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN', anon: 'UNAUTHENTICATED',
    },
    target: () => [...S.openRequestsOfA, ...caseValues(S.caseA)],
    // Pseudonymised: the given name and postcode area only; never family name, address, phone,
    // BSN, notes or ids of the case file; and nothing of team B.
    protect: (w) =>
      w === 'ambassador'
        ? [...caseValues(S.caseA, { givenNames: true }), ...caseValues(S.caseM, { givenNames: true }), ...bValues()]
        : bValues(),
    check: {
      ambassador: (res) => {
        expectSameIds(ids(res.data!.informalCareRequests), S.openRequestsOfA);
        expect(S.openRequestsOfA.length).toBeGreaterThan(0);
        const node = res.data!.informalCareRequests.edges.find((e: { node: { id: string } }) => e.node.id === S.requestA)?.node;
        const resident = S.caseA.residents.find((r) => r.id === S.requestAResident)!;
        expect(node).toMatchObject({ area: { postcode4: '3562' }, resident: { givenName: resident.givenName } });
      },
      worker: (res) => expectSameIds(ids(res.data!.informalCareRequests), S.openRequestsOfA),
      lead: (res) => expectSameIds(ids(res.data!.informalCareRequests), S.openRequestsOfA),
      flex: (res) => expect(res.data!.informalCareRequests.totalCount).toBe(S.flexOpenRequests),
    },
  },
  {
    contract: c('informal-care.graphql', 'MyMatches'),
    outcome: {
      ...EXTRA_NONE, volunteer: 'ok',
      worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', ambassador: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN',
      anon: 'UNAUTHENTICATED',
    },
    target: () => [S.matchActive, S.matchProposed, S.matchedPhone],
    // Own matches only; the resident's phone only on the ACTIVE one; no family name, address, notes, ids.
    protect: (w) =>
      w === 'volunteer'
        ? [
            ...S.otherMatchesOfA,
            ...caseValues(S.caseA, { givenNames: true }),
            ...caseValues(S.caseM, { givenNames: true }).filter((v) => v !== S.matchedPhone),
            ...bValues(),
          ]
        : bValues(),
    check: {
      volunteer: (res) => {
        const byId = Object.fromEntries(res.data!.myMatches.map((m: { id: string }) => [m.id, m]));
        expect(Object.keys(byId).sort()).toEqual([S.matchActive, S.matchProposed].sort());
        expect(byId[S.matchActive]).toMatchObject({ status: 'ACTIVE', contactPhone: S.matchedPhone });
        expect(byId[S.matchProposed]).toMatchObject({ status: 'PROPOSED', contactPhone: null });
        expect(byId[S.matchProposed].resident.givenName).toBe(S.caseA.residents.find((r) => r.id === S.requestAResident)!.givenName);
      },
    },
  },
  {
    contract: c('partner-gp.graphql', 'MyReferrals'),
    variables: () => ({ first: 100 }),
    // contactPerson is for GP practices only: anyone else who lists referrals is refused that field.
    outcome: {
      ...EXTRA_NONE, gp: 'ok',
      worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', corp: 'FORBIDDEN',
      ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN', anon: 'UNAUTHENTICATED',
    },
    partial: { worker: true, lead: true, flex: true, corp: true },
    // gp-de-linde's referrals, except those routed to the asking team (or linked to the flex case).
    target: (w) => [
      ...S.gpRefs.filter((id) => !(w === 'worker' || w === 'lead' ? S.referralsOfA : w === 'flex' ? S.flexReferrals : []).includes(id)),
      GP_REASON,
    ],
    protect: (w) =>
      w === 'gp'
        ? [...S.gp2Refs, ...S.corpSignals, GP_REASON, ...(S.gpRefHousehold ? [S.gpRefHousehold] : []), ...(S.gpRefCase ? [S.gpRefCase] : []), ...bValues()]
        : w === 'corp'
          ? [...S.gpRefs, ...S.gp2Refs, CORP_REASON, CORP_AMOUNT, ...bValues()]
          : bValues(),
    check: {
      gp: (res) => {
        expectSameIds(ids(res.data!.referrals), S.gpRefs);
        expect(res.data!.referrals.totalCount).toBe(S.gpRefs.length);
      },
      worker: (res) => expectNoContactPerson(res),
      lead: (res) => expectNoContactPerson(res),
      flex: (res) => expectNoContactPerson(res),
      corp: (res) => expectNoContactPerson(res),
    },
  },
  {
    contract: c('partner-gp.graphql', 'ReferralStatus'),
    variables: (w) => ({
      id: w === 'worker' || w === 'lead' ? S.gp2RefA : w === 'flex' ? S.flexReferrals[0] : w === 'corp' ? S.corpSignalA : S.gpRef,
    }),
    outcome: {
      ...EXTRA_NONE, gp: 'ok',
      worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', corp: 'FORBIDDEN',
      ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN', anon: 'UNAUTHENTICATED',
    },
    partial: { worker: true, lead: true, flex: true, corp: true },
    target: () => [S.gpRef, GP_REASON],
    protect: (w) =>
      w === 'gp'
        ? [GP_REASON, ...S.gp2Refs, ...(S.gpRefHousehold ? [S.gpRefHousehold] : []), ...(S.gpRefCase ? [S.gpRefCase] : []), ...bValues()]
        : w === 'corp'
          ? [CORP_REASON, CORP_AMOUNT, ...bValues()]
          : bValues(),
    check: {
      gp: (res) => expect(res.data!.referral).toMatchObject({ id: S.gpRef, status: expect.any(String) }),
      worker: (res) => expect(res.data?.referral?.contactPerson ?? null).toBeNull(),
      lead: (res) => expect(res.data?.referral?.contactPerson ?? null).toBeNull(),
      flex: (res) => expect(res.data?.referral?.contactPerson ?? null).toBeNull(),
      corp: (res) => expect(res.data?.referral?.contactPerson ?? null).toBeNull(),
    },
  },
  {
    contract: c('partner-corporation.graphql', 'SignalStatuses'),
    variables: () => ({ first: 100 }),
    outcome: {
      ...EXTRA_NONE, corp: 'ok', gp: 'ok', worker: 'ok', lead: 'ok', flex: 'ok',
      ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN', anon: 'UNAUTHENTICATED',
    },
    target: () => [...S.corpSignals, CORP_REASON],
    protect: (w) =>
      w === 'corp'
        ? [...S.corp2Signals, ...S.gpRefs, ...S.gp2Refs, CORP_REASON, CORP_AMOUNT, 'TRIAGED', 'DECLINED', ...bValues()]
        : w === 'gp'
          ? [...S.gp2Refs, ...S.corpSignals, GP_REASON, ...bValues()]
          : bValues(),
    check: {
      corp: (res) => {
        expectSameIds(ids(res.data!.referrals), S.corpSignals);
        for (const e of res.data!.referrals.edges) expect(['RECEIVED', 'CONTACT_ATTEMPTED', 'IN_CARE', 'NOT_REACHED', 'CLOSED']).toContain(e.node.status);
      },
      gp: (res) => expectSameIds(ids(res.data!.referrals), S.gpRefs),
      worker: (res) => expectSameIds(ids(res.data!.referrals), S.referralsOfA),
      lead: (res) => expectSameIds(ids(res.data!.referrals), S.referralsOfA),
      flex: (res) => expectSameIds(ids(res.data!.referrals), S.flexReferrals),
    },
  },
];

CONTRACT_READS.push(
  {
    contract: c('informal-care.graphql', 'InformalCareVocabulary'),
    outcome: { ...EXTRA_NONE, worker: 'ok', lead: 'ok', flex: 'ok', ambassador: 'ok', volunteer: 'ok', gp: 'ok', corp: 'ok', analyst: 'ok', admin: 'ok', anon: 'UNAUTHENTICATED' },
    check: Object.fromEntries(
      MAIN.filter((w) => w !== 'anon').map((w) => [w, (res: GqlResponse) => expect(res.data!.informalCareVocabulary.skills.length).toBeGreaterThan(0)]),
    ),
  },
  {
    contract: c('informal-care.graphql', 'DueCheckIns'),
    outcome: {
      ...EXTRA_NONE, ambassador: 'ok',
      worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN',
      anon: 'UNAUTHENTICATED',
    },
    target: () => [S.matchActive],
    protect: (w) => (w === 'ambassador' ? [...caseValues(S.caseA, { givenNames: true }), ...caseValues(S.caseM, { givenNames: true }), ...bValues()] : bValues()),
  },
  {
    contract: c('informal-care.graphql', 'VolunteerCandidates'),
    variables: () => ({ requestId: S.requestA, first: 10 }),
    outcome: {
      ...EXTRA_NONE, ambassador: 'ok',
      worker: 'FORBIDDEN', lead: 'FORBIDDEN', flex: 'FORBIDDEN', volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', analyst: 'FORBIDDEN', admin: 'FORBIDDEN',
      anon: 'UNAUTHENTICATED',
    },
    target: () => [S.requestA, ...caseValues(S.caseA)],
    protect: (w) => (w === 'ambassador' ? [...caseValues(S.caseA, { givenNames: true }), ...bValues()] : bValues()),
    check: { ambassador: (res) => expect(res.data!.volunteerCandidates.length).toBeGreaterThan(0) },
  },
);

/** The quarter before the current one, e.g. "2026-Q3". */
function lastQuarter(): string {
  const d = new Date();
  const q = Math.floor(d.getUTCMonth() / 3); // 0..3: the current quarter - 1 is the last one
  return q === 0 ? `${d.getUTCFullYear() - 1}-Q4` : `${d.getUTCFullYear()}-Q${q}`;
}

CONTRACT_READS.push({
  contract: c('dashboard.graphql', 'QuarterReport'),
  variables: (w) => ({ period: lastQuarter(), teamId: w === 'lead' ? S.teamA : null }),
  outcome: {
    ...EXTRA_NONE, lead: 'ok', analyst: 'ok',
    worker: 'FORBIDDEN', flex: 'FORBIDDEN', ambassador: 'FORBIDDEN', volunteer: 'FORBIDDEN', gp: 'FORBIDDEN', corp: 'FORBIDDEN', admin: 'FORBIDDEN',
    anon: 'UNAUTHENTICATED',
  },
  // Aggregates only: no person, household or case of any team.
  protect: () => [...caseValues(S.caseA), ...caseValues(S.caseM), ...bValues()],
  check: {
    lead: (res) => expect(res.data!.quarterReport.perTeam.map((t: { team: { code: string } }) => t.team.code)).toEqual([TEAM_A]),
    analyst: (res) => expect(res.data!.quarterReport.perTeam.length).toBeGreaterThan(1),
  },
});

function contractReadRows(): Row[] {
  return CONTRACT_READS.flatMap((r) =>
    MAIN.map((who): Row => ({
      who,
      op: r.contract.join(':'),
      contract: r.contract,
      variables: r.variables ? () => r.variables!(who) : undefined,
      expect: r.outcome[who],
      partial: r.partial?.[who],
      target: r.target ? () => r.target!(who) : undefined,
      protect: r.protect ? () => r.protect!(who) : undefined,
      check: r.check?.[who],
    })),
  );
}

// ---- contract mutations: the allowed role runs the flow, two (or more) refused roles each ----

const zrmScores = () => ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain, i) => ({ domain, score: (i % 5) + 1 }));
const newCase = () => S.m.caseId!;
const newCaseTarget = () => [newCase(), S.m.householdId!, ...(S.m.memberIds ?? [])];

const gpSubmission = (externalId: string) => ({
  input: {
    externalId,
    kind: 'GP_REFERRAL',
    subject: { givenName: 'Submittina', familyName: 'Matrixverwijzing', birthDate: '1961-05-04', postcode: '3562AB', houseNumber: '7' },
    reason: 'MATRIX-SUBMIT-REASON',
    consentObtained: true,
  },
});
const arrearsSubmission = (externalId: string) => ({
  input: {
    externalId,
    kind: 'ARREARS_SIGNAL',
    subject: { givenName: 'Signalina', familyName: 'Matrixachterstand', postcode: '3562AC', houseNumber: '9' },
    arrears: { amount: 912.5, since: isoDate(ago(90)), months: 3 },
    consentObtained: false,
  },
});

function mutationRows(): Row[] {
  const t = (op: string): [ContractFileName, string] => ['team.graphql', op];
  const a = (op: string): [ContractFileName, string] => ['admin.graphql', op];
  const g = (op: string): [ContractFileName, string] => ['partner-gp.graphql', op];
  const ic = (op: string): [ContractFileName, string] => ['informal-care.graphql', op];
  const volunteerInput = (tag: string) => ({
    input: {
      organisationId: S.ambassadorOrg, givenName: 'Vera', familyName: 'Matrixvrijwilliger', email: `${tag}.${randomUUID().slice(0, 8)}@voordeur.test`,
      postcode: '3562AB', skills: ['shopping'], languages: ['Dutch'], availability: [{ day: 'MONDAY', part: 'MORNING' }], maxMatches: 2,
      vogIssuedAt: isoDate(ago(30)),
    },
  });
  const household = () => ({
    input: {
      teamId: S.teamA,
      address: { street: 'Matrixdreef', houseNumber: '12', postcode: '3562 AB', city: 'Utrecht' },
      members: [
        { givenName: 'Fatima', familyName: 'Matrixbouzid', birthDate: '1984-03-02', phone: '06-12345678', languages: ['nl'], relation: 'HEAD' },
        { givenName: 'Youssef', familyName: 'Matrixbouzid', birthDate: '1982-07-19', relation: 'PARTNER' },
      ],
    },
  });
  const rows: Row[] = [
    // RegisterHousehold
    { who: 'ambassador', op: 'team.graphql:RegisterHousehold', contract: t('RegisterHousehold'), variables: household, expect: 'FORBIDDEN', target: () => ['Matrixbouzid'] },
    { who: 'admin', op: 'team.graphql:RegisterHousehold', contract: t('RegisterHousehold'), variables: household, expect: 'FORBIDDEN', target: () => ['Matrixbouzid'] },
    {
      who: 'worker', op: 'team.graphql:RegisterHousehold', contract: t('RegisterHousehold'), variables: household, expect: 'ok',
      check: (res) => {
        const h = res.data!.registerHousehold;
        expect(h.team.id).toBe(S.teamA);
        expect(h.members).toHaveLength(2);
        S.m.householdId = h.id;
        S.m.memberIds = h.members.map((m: { id: string }) => m.id);
      },
    },
    // OpenCase
    ...(['gp', 'workerB'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:OpenCase', contract: t('OpenCase'),
      variables: () => ({ input: { householdId: S.m.householdId, referralSource: 'SELF', reason: 'Opened by someone else' } }),
      expect: who === 'workerB' ? 'NOT_FOUND' : 'FORBIDDEN',
      target: () => [S.m.householdId!, ...(S.m.memberIds ?? []), 'Matrixbouzid'],
    })),
    {
      who: 'worker', op: 'team.graphql:OpenCase', contract: t('OpenCase'),
      variables: () => ({ input: { householdId: S.m.householdId, referralSource: 'SELF', registeredAt: ago(10).toISOString(), reason: 'Huurachterstand.' } }),
      expect: 'ok',
      check: (res) => {
        expect(res.data!.openCase).toMatchObject({ status: 'REGISTERED', team: { id: S.teamA }, household: { id: S.m.householdId } });
        S.m.caseId = res.data!.openCase.id;
      },
    },
    // RecordFirstContact
    ...(['volunteer', 'flex'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RecordFirstContact', contract: t('RecordFirstContact'),
      variables: () => ({ caseId: newCase(), at: ago(9).toISOString() }),
      expect: who === 'flex' ? 'NOT_FOUND' : 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:RecordFirstContact', contract: t('RecordFirstContact'),
      variables: () => ({ caseId: newCase(), at: ago(8).toISOString() }), expect: 'ok',
      check: (res) => expect(res.data!.recordFirstContact).toMatchObject({ id: newCase(), status: 'INTAKE' }),
    },
    // StartCase
    ...(['analyst', 'corp'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:StartCase', contract: t('StartCase'),
      variables: () => ({ input: { caseId: newCase(), startedAt: ago(7).toISOString(), coordinatorId: S.ids.worker } }),
      expect: 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:StartCase', contract: t('StartCase'),
      variables: () => ({ input: { caseId: newCase(), startedAt: ago(7).toISOString(), coordinatorId: S.ids.worker } }), expect: 'ok',
      check: (res) => expect(res.data!.startCase).toMatchObject({ id: newCase(), status: 'ACTIVE', coordinator: { id: S.ids.worker } }),
    },
    // AddGoal
    ...(['admin', 'ambassador'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:AddGoal', contract: t('AddGoal'),
      variables: () => ({ input: { caseId: newCase(), description: 'Goal by someone else' } }), expect: 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'lead', op: 'team.graphql:AddGoal', contract: t('AddGoal'),
      variables: () => ({ input: { caseId: newCase(), description: 'Betalingsregeling afsluiten', domain: 'FINANCES' } }), expect: 'ok',
      check: (res) => expect(res.data!.addGoal).toMatchObject({ domain: 'FINANCES', status: 'OPEN' }),
    },
    // AddCaseNote: also the leak path "a worker of A writes into B's case" and the flex worker's own case.
    ...(['ambassador', 'analyst'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:AddCaseNote', contract: t('AddCaseNote'),
      variables: () => ({ input: { caseId: S.caseA.id, body: 'Note by someone else' } }), expect: 'FORBIDDEN', target: () => caseValues(S.caseA),
    })),
    {
      who: 'worker', op: "team.graphql:AddCaseNote on team B's case", contract: t('AddCaseNote'),
      variables: () => ({ input: { caseId: S.caseB.id, body: 'Note by team A' } }), expect: 'NOT_FOUND',
    },
    {
      who: 'flex', op: 'team.graphql:AddCaseNote on the assigned case', contract: t('AddCaseNote'),
      variables: () => ({ input: { caseId: S.caseF.id, body: 'Flex was here' } }), expect: 'ok',
      check: (res) => expect(res.data!.addCaseNote).toMatchObject({ body: 'Flex was here', author: { id: S.ids.flex } }),
    },
    {
      who: 'worker', op: 'team.graphql:AddCaseNote', contract: t('AddCaseNote'),
      variables: () => ({ input: { caseId: newCase(), body: 'Kennismakingsgesprek thuis gehad.' } }), expect: 'ok',
      check: (res) => expect(res.data!.addCaseNote).toMatchObject({ author: { id: S.ids.worker } }),
    },
    // RecordZrmAssessment
    ...(['gp', 'volunteer'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RecordZrmAssessment', contract: t('RecordZrmAssessment'),
      variables: () => ({ input: { caseId: newCase(), assessedAt: ago(6).toISOString(), version: 'ZRM_2017', kind: 'BASELINE', scores: zrmScores() } }),
      expect: 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:RecordZrmAssessment', contract: t('RecordZrmAssessment'),
      variables: () => ({ input: { caseId: newCase(), assessedAt: ago(6).toISOString(), version: 'ZRM_2017', kind: 'BASELINE', scores: zrmScores() } }),
      expect: 'ok', check: (res) => expect(res.data!.recordZrmAssessment.scores).toHaveLength(13),
    },
    // RecordCareAllocation
    ...(['admin', 'analyst'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RecordCareAllocation', contract: t('RecordCareAllocation'),
      variables: () => ({ input: { caseId: newCase(), provision: 'Huishoudelijke hulp', form: 'ZIN', investigationStartedAt: isoDate(ago(5)) } }),
      expect: 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:RecordCareAllocation', contract: t('RecordCareAllocation'),
      variables: () => ({ input: { caseId: newCase(), provision: 'Huishoudelijke hulp', form: 'ZIN', investigationStartedAt: isoDate(ago(5)) } }),
      expect: 'ok', check: (res) => expect(res.data!.recordCareAllocation).toMatchObject({ form: 'ZIN', decision: 'PENDING' }),
    },
    // RecordConsent: a partner cannot grant itself a consent.
    ...(['gp', 'ambassador'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RecordConsent', contract: t('RecordConsent'),
      variables: () => ({ input: { residentId: S.caseA.residents[0]!.id, recipientId: S.gpOrg, purpose: 'GP_TANDEM' } }),
      expect: 'FORBIDDEN', target: () => caseValues(S.caseA),
    })),
    {
      who: 'worker', op: 'team.graphql:RecordConsent', contract: t('RecordConsent'),
      variables: () => ({ input: { residentId: S.m.memberIds![0], recipientId: S.gpOrg, purpose: 'GP_TANDEM' } }), expect: 'ok',
      check: (res) => {
        expect(res.data!.recordConsent).toMatchObject({ purpose: 'GP_TANDEM', recipient: { id: S.gpOrg } });
        S.m.consentId = res.data!.recordConsent.id;
      },
    },
    // RevokeConsent
    ...(['gp', 'admin'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RevokeConsent', contract: t('RevokeConsent'), variables: () => ({ id: S.m.consentId }), expect: 'FORBIDDEN',
      target: () => [S.m.consentId!, ...newCaseTarget()],
    })),
    {
      who: 'worker', op: 'team.graphql:RevokeConsent', contract: t('RevokeConsent'), variables: () => ({ id: S.m.consentId }), expect: 'ok',
      check: (res) => expect(res.data!.revokeConsent.revokedAt).toEqual(expect.any(String)),
    },
    // RegisterFeedback
    {
      who: 'volunteer', op: 'team.graphql:RegisterFeedback', contract: t('RegisterFeedback'),
      variables: () => ({ input: { teamId: S.teamA, caseId: newCase(), kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'x' } }),
      expect: 'FORBIDDEN', target: newCaseTarget,
    },
    {
      who: 'worker', op: 'team.graphql:RegisterFeedback for team B', contract: t('RegisterFeedback'),
      variables: () => ({ input: { teamId: S.teamB, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'x' } }), expect: 'FORBIDDEN',
    },
    {
      who: 'worker', op: 'team.graphql:RegisterFeedback', contract: t('RegisterFeedback'),
      variables: () => ({ input: { teamId: S.teamA, caseId: newCase(), kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'Te lang wachten.' } }),
      expect: 'ok',
      check: (res) => {
        expect(res.data!.registerFeedback).toMatchObject({ kind: 'COMPLAINT', status: 'OPEN' });
        S.m.feedbackId = res.data!.registerFeedback.id;
      },
    },
    // ResolveFeedback: team lead only.
    ...(['worker', 'admin'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:ResolveFeedback', contract: t('ResolveFeedback'),
      variables: () => ({ id: S.m.feedbackId, status: 'RESOLVED', resolution: 'x' }), expect: 'FORBIDDEN', target: () => [S.m.feedbackId!, 'Te lang wachten.'],
    })),
    {
      who: 'lead', op: 'team.graphql:ResolveFeedback', contract: t('ResolveFeedback'),
      variables: () => ({ id: S.m.feedbackId, status: 'RESOLVED', resolution: 'Excuses aangeboden.' }), expect: 'ok',
      check: (res) => expect(res.data!.resolveFeedback).toEqual({ id: S.m.feedbackId, status: 'RESOLVED' }),
    },
    // RequestWorkerChange
    ...(['corp', 'analyst'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:RequestWorkerChange', contract: t('RequestWorkerChange'),
      variables: () => ({ input: { caseId: newCase(), reason: 'x' } }), expect: 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:RequestWorkerChange', contract: t('RequestWorkerChange'),
      variables: () => ({ input: { caseId: newCase(), reason: 'Geen klik.' } }), expect: 'ok',
      check: (res) => expect(res.data!.requestWorkerChange).toMatchObject({ status: 'REQUESTED' }),
    },
    // TriageReferral: the corporation cannot move its own signal; team B cannot see A's inbox.
    ...(['corp', 'ambassador', 'workerB'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:TriageReferral', contract: t('TriageReferral'),
      variables: () => ({ input: { referralId: S.corpSignalA, status: 'TRIAGED' } }),
      expect: who === 'workerB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => [S.corpSignalA, CORP_REASON, CORP_AMOUNT],
    })),
    {
      who: 'worker', op: 'team.graphql:TriageReferral', contract: t('TriageReferral'),
      variables: () => ({ input: { referralId: S.corpSignalA, status: 'TRIAGED' } }), expect: 'ok',
      check: (res) => expect(res.data!.triageReferral).toMatchObject({ id: S.corpSignalA, status: 'TRIAGED' }),
    },
    {
      who: 'corp', op: 'probe: a triaged signal reads as RECEIVED for the corporation (status folded)',
      query: 'query($id: ID!) { referral(id: $id) { id status } }', variables: () => ({ id: S.corpSignalA }), expect: 'ok',
      protect: () => ['TRIAGED', CORP_REASON, CORP_AMOUNT],
      check: (res) => expect(res.data!.referral).toEqual({ id: S.corpSignalA, status: 'RECEIVED' }),
    },
    // CloseCase
    ...(['flex', 'volunteer'] as Who[]).map((who): Row => ({
      who, op: 'team.graphql:CloseCase', contract: t('CloseCase'),
      variables: () => ({ input: { caseId: newCase(), closedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'AS_PLANNED' } }),
      expect: who === 'flex' ? 'NOT_FOUND' : 'FORBIDDEN', target: newCaseTarget,
    })),
    {
      who: 'worker', op: 'team.graphql:CloseCase', contract: t('CloseCase'),
      variables: () => ({ input: { caseId: newCase(), closedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'AS_PLANNED', clientRating: 8, selfReliantAfter: true } }),
      expect: 'ok', check: (res) => expect(res.data!.closeCase).toMatchObject({ id: newCase(), status: 'CLOSED' }),
    },

    // admin.graphql
    ...(['lead', 'analyst'] as Who[]).map((who): Row => ({
      who, op: 'admin.graphql:CreateStaff', contract: a('CreateStaff'),
      variables: () => ({ input: { name: 'Niet Toegestaan', email: `nope.${randomUUID().slice(0, 8)}@voordeur.test`, role: 'TEAM_WORKER', teamIds: [S.teamA] } }),
      expect: 'FORBIDDEN',
    })),
    {
      who: 'admin', op: 'admin.graphql:CreateStaff', contract: a('CreateStaff'),
      variables: () => ({ input: { name: 'Flex Twee', email: `flex.${randomUUID().slice(0, 8)}@voordeur.test`, role: 'FLEX_WORKER', teamIds: [S.flexTeam] } }),
      expect: 'ok',
      check: (res) => {
        expect(res.data!.createStaff).toMatchObject({ name: 'Flex Twee', role: 'FLEX_WORKER' });
        S.m.newFlexStaff = res.data!.createStaff.id;
      },
    },
    ...(['worker', 'ambassador', 'leadB'] as Who[]).map((who): Row => ({
      who, op: 'admin.graphql:AssignFlexWorker', contract: a('AssignFlexWorker'),
      variables: () => ({ input: { staffId: S.m.newFlexStaff, caseId: S.caseA.id, until: isoDate(new Date(Date.now() + 30 * DAY)) } }),
      // A lead of another team gets what a missing case gets.
      expect: who === 'leadB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => caseValues(S.caseA),
    })),
    {
      who: 'admin', op: 'admin.graphql:AssignFlexWorker', contract: a('AssignFlexWorker'),
      variables: () => ({ input: { staffId: S.m.newFlexStaff, caseId: S.caseA.id, until: isoDate(new Date(Date.now() + 30 * DAY)) } }),
      expect: 'ok', protect: () => caseValues(S.caseA).filter((v) => v !== S.caseA.id),
      check: (res) => expect(res.data!.assignFlexWorker.until).toEqual(expect.any(String)),
    },
    ...(['gp', 'lead'] as Who[]).map((who): Row => ({
      who, op: 'admin.graphql:CreateOrganisation', contract: a('CreateOrganisation'),
      variables: () => ({ input: { code: `nope-${randomUUID().slice(0, 8)}`, name: 'Niet Toegestaan', kind: 'GP_PRACTICE' } }), expect: 'FORBIDDEN',
    })),
    {
      who: 'admin', op: 'admin.graphql:CreateOrganisation', contract: a('CreateOrganisation'),
      variables: () => ({ input: { code: `matrix-${randomUUID().slice(0, 8)}`, name: 'Woningcorporatie Matrix', kind: 'HOUSING_CORPORATION' } }), expect: 'ok',
      check: (res) => expect(res.data!.createOrganisation).toMatchObject({ name: 'Woningcorporatie Matrix', kind: 'HOUSING_CORPORATION' }),
    },

    // admin.graphql: retrying a failed job (issue 5) is for ADMIN only; an unknown job is NOT_FOUND.
    ...(MAIN.filter((w) => w !== 'admin') as Who[]).map((who): Row => ({
      who, op: 'admin.graphql:RetryFailedJob', contract: a('RetryFailedJob'), variables: () => ({ id: 'huisarts:no-such-job' }),
      expect: who === 'anon' ? 'UNAUTHENTICATED' : 'FORBIDDEN',
    })),
    { who: 'admin', op: 'admin.graphql:RetryFailedJob', contract: a('RetryFailedJob'), variables: () => ({ id: 'huisarts:no-such-job' }), expect: 'NOT_FOUND' },

    // partner-gp.graphql / partner-corporation.graphql: submitting (issue 5). The answer carries
    // status fields only; an externalId is the sender's own, never a key into another partner's referrals.
    ...(['worker', 'ambassador'] as Who[]).map((who): Row => ({
      who, op: 'partner-gp.graphql:SubmitGpReferral', contract: g('SubmitGpReferral'), variables: () => gpSubmission(`MATRIX-NOPE-${who}`), expect: 'FORBIDDEN',
    })),
    {
      who: 'gp', op: 'partner-gp.graphql:SubmitGpReferral', contract: g('SubmitGpReferral'), variables: () => gpSubmission('MATRIX-SR-1'), expect: 'ok',
      protect: () => ['Submittina', 'Matrixverwijzing', 'MATRIX-SUBMIT-REASON', ...S.referralsOfA],
      check: (res) => {
        expect(res.data!.submitReferral).toMatchObject({ externalId: 'MATRIX-SR-1', kind: 'GP_REFERRAL', status: 'RECEIVED' });
        S.referralsOfA.push(res.data!.submitReferral.id); // routed by postcode 3562 to team A
      },
    },
    ...(['volunteer', 'analyst'] as Who[]).map((who): Row => ({
      who, op: 'partner-corporation.graphql:SubmitArrearsSignal', contract: ['partner-corporation.graphql', 'SubmitArrearsSignal'],
      variables: () => arrearsSubmission(`MATRIX-NOPE-${who}`), expect: 'FORBIDDEN',
    })),
    {
      who: 'corp', op: 'partner-corporation.graphql:SubmitArrearsSignal', contract: ['partner-corporation.graphql', 'SubmitArrearsSignal'],
      variables: () => arrearsSubmission('MATRIX-VS-1'), expect: 'ok', protect: () => ['Signalina', 'Matrixachterstand', ...S.corp2Signals],
      check: (res) => {
        expect(res.data!.submitReferral).toMatchObject({ externalId: 'MATRIX-VS-1', kind: 'ARREARS_SIGNAL', status: 'RECEIVED' });
        S.referralsOfA.push(res.data!.submitReferral.id);
      },
    },
    {
      who: 'corp2', op: "partner-corporation.graphql:SubmitArrearsSignal reusing another corporation's externalId",
      contract: ['partner-corporation.graphql', 'SubmitArrearsSignal'], variables: () => arrearsSubmission('MATRIX-VS-1'), expect: 'ok',
      protect: () => [...S.corpSignals, CORP_REASON, CORP_AMOUNT],
      check: (res) => {
        expect(res.data!.submitReferral).toMatchObject({ externalId: 'MATRIX-VS-1', status: 'RECEIVED' });
        S.referralsOfA.push(res.data!.submitReferral.id);
        S.corp2Signals.push(res.data!.submitReferral.id);
      },
    },

    // informal-care.graphql (issue 6): requests, discussions, matches, check-ins, volunteers.
    ...(['ambassador', 'volunteer', 'workerB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:RequestInformalCare', contract: ic('RequestInformalCare'),
      variables: () => ({ input: { caseId: S.caseA.id, needs: ['shopping'] } }), expect: who === 'workerB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => caseValues(S.caseA),
    })),
    {
      who: 'worker', op: 'informal-care.graphql:RequestInformalCare', contract: ic('RequestInformalCare'),
      variables: () => ({ input: { caseId: S.caseA.id, residentId: S.requestAResident, needs: ['shopping'], note: 'SECRET-REQUEST-NOTE-MATRIX' } }), expect: 'ok',
      check: (res) => expect(res.data!.requestInformalCare).toMatchObject({ status: 'OPEN' }),
    },
    ...(['volunteer', 'gp', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:RecordCaseDiscussion', contract: ic('RecordCaseDiscussion'),
      variables: () => ({ input: { caseId: S.caseA.id, discussedAt: ago(1).toISOString(), informalCarePossible: true } }),
      expect: who === 'ambassadorB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => caseValues(S.caseA),
    })),
    {
      who: 'ambassador', op: 'informal-care.graphql:RecordCaseDiscussion', contract: ic('RecordCaseDiscussion'),
      variables: () => ({ input: { caseId: S.caseA.id, discussedAt: ago(1).toISOString(), informalCarePossible: true } }), expect: 'ok',
      protect: () => caseValues(S.caseA).filter((v) => v !== S.caseA.id),
      check: (res) => expect(res.data!.recordCaseDiscussion).toMatchObject({ informalCarePossible: true }),
    },
    ...(['volunteer', 'worker', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:ProposeMatch', contract: ic('ProposeMatch'),
      variables: () => ({ requestId: S.requestA, volunteerId: S.candidate }), expect: who === 'ambassadorB' ? 'NOT_FOUND' : 'FORBIDDEN',
      target: () => [S.requestA, ...caseValues(S.caseA)],
    })),
    {
      who: 'ambassador', op: 'informal-care.graphql:ProposeMatch', contract: ic('ProposeMatch'),
      variables: () => ({ requestId: S.requestA, volunteerId: S.candidate }), expect: 'ok',
      protect: () => caseValues(S.caseA, { givenNames: true }),
      check: (res) => expect(res.data!.proposeMatch).toMatchObject({ status: 'PROPOSED' }),
    },
    ...(['ambassador', 'worker'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:RespondToMatch', contract: ic('RespondToMatch'),
      variables: () => ({ id: S.matchProposed, accept: true }), expect: 'FORBIDDEN', target: () => [S.matchProposed],
    })),
    {
      who: 'volunteer', op: 'informal-care.graphql:RespondToMatch', contract: ic('RespondToMatch'),
      variables: () => ({ id: S.matchProposed, accept: true }), expect: 'ok',
      check: (res) => expect(res.data!.respondToMatch).toEqual({ id: S.matchProposed, status: 'ACCEPTED' }),
    },
    ...(['volunteer', 'gp', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:ActivateMatch', contract: ic('ActivateMatch'),
      variables: () => ({ id: S.matchProposed }), expect: who === 'ambassadorB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => [S.matchProposed],
    })),
    {
      who: 'worker', op: 'informal-care.graphql:ActivateMatch', contract: ic('ActivateMatch'),
      variables: () => ({ id: S.matchProposed }), expect: 'ok',
      check: (res) => expect(res.data!.activateMatch).toMatchObject({ id: S.matchProposed, status: 'ACTIVE' }),
    },
    ...(['volunteer', 'worker', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:RecordMatchCheckIn', contract: ic('RecordMatchCheckIn'),
      variables: () => ({ input: { matchId: S.matchActive, at: new Date(Date.now() - 60_000).toISOString(), going: 'GOOD' } }),
      expect: who === 'ambassadorB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => [S.matchActive],
    })),
    {
      who: 'ambassador', op: 'informal-care.graphql:RecordMatchCheckIn', contract: ic('RecordMatchCheckIn'),
      variables: () => ({ input: { matchId: S.matchActive, at: new Date(Date.now() - 60_000).toISOString(), going: 'GOOD' } }), expect: 'ok',
      check: (res) => expect(res.data!.recordMatchCheckIn).toMatchObject({ going: 'GOOD' }),
    },
    ...(['volunteer', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: 'informal-care.graphql:EndMatch', contract: ic('EndMatch'),
      variables: () => ({ id: S.matchProposed, reason: 'x' }), expect: who === 'ambassadorB' ? 'NOT_FOUND' : 'FORBIDDEN', target: () => [S.matchProposed],
    })),
    {
      who: 'ambassador', op: 'informal-care.graphql:EndMatch', contract: ic('EndMatch'),
      variables: () => ({ id: S.matchProposed, reason: 'Doel bereikt' }), expect: 'ok',
      check: (res) => expect(res.data!.endMatch).toMatchObject({ id: S.matchProposed, status: 'ENDED' }),
    },
    ...(['volunteer', 'worker', 'ambassadorB'] as Who[]).map((who): Row => ({
      who, op: `informal-care.graphql:RegisterVolunteer${who === 'ambassadorB' ? ' for another organisation' : ''}`, contract: ic('RegisterVolunteer'),
      variables: () => volunteerInput(`nope.${who}`), expect: 'FORBIDDEN',
    })),
    {
      who: 'ambassador', op: 'informal-care.graphql:RegisterVolunteer', contract: ic('RegisterVolunteer'), variables: () => volunteerInput('nieuw'), expect: 'ok',
      check: (res) => expect(res.data!.registerVolunteer).toMatchObject({ givenName: 'Vera' }),
    },

    // partner-gp.graphql: CancelReferral
    ...(['worker', 'volunteer'] as Who[]).map((who): Row => ({
      who, op: 'partner-gp.graphql:CancelReferral', contract: g('CancelReferral'), variables: () => ({ id: S.gpCancellable }), expect: 'FORBIDDEN',
      target: () => [S.gpCancellable, 'CANCELLED'],
    })),
    ...(['corp', 'gp2'] as Who[]).map((who): Row => ({
      who, op: "partner-gp.graphql:CancelReferral on another partner's referral", contract: g('CancelReferral'),
      variables: () => ({ id: S.gpCancellable }), expect: 'NOT_FOUND', target: () => [S.gpCancellable, 'CANCELLED'],
    })),
    {
      who: 'gp', op: 'partner-gp.graphql:CancelReferral', contract: g('CancelReferral'), variables: () => ({ id: S.gpCancellable, reason: 'dubbel' }), expect: 'ok',
      check: (res) => expect(res.data!.cancelReferral).toEqual({ id: S.gpCancellable, status: 'CANCELLED' }),
    },
  ];
  return rows;
}

// ---- pending contract operations (issues 5, 6, 7) ----

const PENDING_ROLE: Record<string, Who[]> = {};

function pendingRows(): Row[] {
  return Object.entries(PENDING).flatMap(([key, reason]) => {
    const [file, op] = key.split(':') as [ContractFileName, string];
    return (PENDING_ROLE[key] ?? []).map((who): Row => ({ who, op: key, contract: [file, op], expect: 'pending', reason }));
  });
}

// ---- probes of the leak paths ----

const CASE_Q = `query($id: ID!) { case(id: $id) { id reason household { id address { street postcode } members { id givenName familyName phone bsnLast4 } }
  notes { edges { node { id body } } } } }`;
const CASES_Q = `query { cases(first: 100) { totalCount edges { node { id household { id address { street postcode } members { id givenName familyName } } } } } }`;
const HOUSEHOLD_Q = `query($id: ID!) { household(id: $id) { id address { street postcode } members { id givenName familyName phone } } }`;
const REFERRALS_Q = `query { referrals(first: 100) { totalCount edges { node { id status } } } }`;
const ACCESS_Q = `query($id: ID!) { accessReport(residentId: $id) { resident { id givenName familyName } entries { action objectType } } }`;
const MATCHES_Q = `query { myMatches { id status task resident { givenName } contactPhone } }`;
const REQUESTS_Q = `query { informalCareRequests(first: 100) { totalCount edges { node { id needs area { postcode4 } resident { givenName } } } } }`;
const VOLUNTEERS_Q = `query { volunteers(first: 100) { totalCount edges { node { id givenName } } } }`;
const COUNTS_Q = `query($teamId: ID) { caseCounts(teamId: $teamId) { suppressed total { active intake registered closed } perTeam { team { id code } suppressed counts { active } } } }`;

function probeRows(): Row[] {
  const alias = (field: string, sel: string) => `query($own: ID!, $other: ID!) { a: ${field}(id: $own) ${sel} b: ${field}(id: $other) ${sel} }`;
  const rows: Row[] = [
    // Control: team B does see its own values, so the leak checks on them can bite.
    {
      who: 'workerB', op: "probe (control): case(id) on team B's own case", query: CASE_Q, variables: () => ({ id: S.caseB.id }), expect: 'ok',
      check: (res) => {
        const missing = [MARK_B.given, MARK_B.family, MARK_B.street, MARK_B.postcode, MARK_B.note, MARK_B.phone, S.caseB.id, S.caseB.householdId].filter((v) => !res.raw.includes(v));
        expect(missing).toEqual([]);
      },
    },

    // Team scoping: lists and look-ups.
    {
      who: 'worker', op: 'probe: cases without a team filter', query: CASES_Q, expect: 'ok', protect: () => [...bValues(), ...caseValues(S.caseF)],
      // (the case the mutation rows opened is one of them now)
      check: (res) => expectSameIds(ids(res.data!.cases), [...S.casesOfA, ...(S.m.caseId ? [S.m.caseId] : [])]),
    },
    { who: 'worker', op: 'probe: referrals without a filter', query: REFERRALS_Q, expect: 'ok', protect: bValues, check: (res) => expectSameIds(ids(res.data!.referrals), S.referralsOfA) },
    { who: 'worker', op: 'probe: informalCareRequests (own cases only)', query: REQUESTS_Q, expect: 'ok', protect: bValues },
    { who: 'worker', op: "probe: case(id) of team B", query: CASE_Q, variables: () => ({ id: S.caseB.id }), expect: 'NOT_FOUND', check: sameAsMissing(CASE_Q) },
    { who: 'lead', op: "probe: case(id) of team B", query: CASE_Q, variables: () => ({ id: S.caseB.id }), expect: 'NOT_FOUND' },
    { who: 'worker', op: "probe: household(id) of team B", query: HOUSEHOLD_Q, variables: () => ({ id: S.caseB.householdId }), expect: 'NOT_FOUND', check: sameAsMissing(HOUSEHOLD_Q) },
    { who: 'worker', op: "probe: accessReport of team B's resident", query: ACCESS_Q, variables: () => ({ id: S.caseB.residents[0]!.id }), expect: 'NOT_FOUND', check: sameAsMissing(ACCESS_Q) },
    { who: 'lead', op: "probe: accessReport of team B's resident", contract: c('team.graphql', 'AccessReport'), variables: () => ({ residentId: S.caseB.residents[0]!.id }), expect: 'NOT_FOUND' },
    { who: 'worker', op: "probe: TeamCases of team B", contract: c('team.graphql', 'TeamCases'), variables: () => ({ teamId: S.teamB }), expect: 'FORBIDDEN' },
    { who: 'worker', op: "probe: cases(filter: { householdId: B's household })", query: `query($h: ID!) { cases(filter: { householdId: $h }) { totalCount edges { node { id } } } }`, variables: () => ({ h: S.caseB.householdId }), expect: 'ok', protect: bValues, check: (res) => expect(res.data!.cases.totalCount).toBe(0) },
    { who: 'worker', op: "probe: teamMembers of team B", query: 'query($t: ID!) { teamMembers(teamId: $t) { id name } }', variables: () => ({ t: S.teamB }), expect: 'FORBIDDEN', target: () => [S.ids.workerB, S.ids.leadB] },
    { who: 'worker', op: 'probe: teamMembers of team A', query: 'query($t: ID!) { teamMembers(teamId: $t) { id name } }', variables: () => ({ t: S.teamA }), expect: 'ok', check: (res) => expect(res.data!.teamMembers.map((s: { id: string }) => s.id)).toContain(S.ids.worker) },

    // Aliases: an own id next to another team's id.
    {
      who: 'worker', op: "probe: aliases a: case(own) b: case(team B)", query: alias('case', '{ id household { id members { givenName familyName } } notes { edges { node { body } } } }'),
      variables: () => ({ own: S.caseA.id, other: S.caseB.id }), expect: 'NOT_FOUND', partial: true,
      check: (res) => {
        expect(res.data?.a?.id).toBe(S.caseA.id);
        expect(res.data?.b ?? null).toBeNull();
        expect(res.errors!.map((e) => e.path)).toEqual([['b']]);
      },
    },
    {
      who: 'lead', op: "probe: aliases a: household(own) b: household(team B)", query: alias('household', '{ id address { street } members { givenName familyName } }'),
      variables: () => ({ own: S.caseA.householdId, other: S.caseB.householdId }), expect: 'NOT_FOUND', partial: true,
      check: (res) => {
        expect(res.data?.a?.id).toBe(S.caseA.householdId);
        expect(res.data?.b ?? null).toBeNull();
      },
    },
    {
      who: 'gp', op: "probe: aliases a: referral(own) b: referral(other practice)", query: alias('referral', '{ id status }'),
      variables: () => ({ own: S.gpRef, other: S.gp2RefA }), expect: 'NOT_FOUND', partial: true, target: () => [S.gp2RefA],
      check: (res) => {
        expect(res.data?.a?.id).toBe(S.gpRef);
        expect(res.data?.b ?? null).toBeNull();
      },
    },
    {
      who: 'ambassador', op: 'probe: aliases a: informalCareRequests b: case(request\'s case)',
      query: `query($id: ID!) { a: informalCareRequests(first: 100) { totalCount } b: case(id: $id) { id notes { edges { node { body } } } } }`,
      variables: () => ({ id: S.caseA.id }), expect: 'FORBIDDEN', partial: true, target: () => caseValues(S.caseA),
      check: (res) => {
        expect(res.data?.a?.totalCount).toBeGreaterThan(0);
        expect(res.data?.b ?? null).toBeNull();
      },
    },

    // A batch of ids in one request: own, team B's (two), a flex case, a random id.
    {
      who: 'worker', op: 'probe: batch of case ids (own, 2 × team B, other team, random)',
      query: `query($own: ID!, $b1: ID!, $b2: ID!, $f: ID!, $r: ID!) {
        own: case(id: $own) { id } b1: case(id: $b1) { id reason household { members { givenName familyName } } }
        b2: household(id: $b2) { id address { street } } f: case(id: $f) { id household { members { familyName } } } r: case(id: $r) { id } }`,
      variables: () => ({ own: S.caseA.id, b1: S.caseB.id, b2: S.caseB.householdId, f: S.caseF.id, r: RANDOM_ID }),
      expect: 'NOT_FOUND', partial: true, target: () => caseValues(S.caseF),
      check: (res) => {
        expect(res.data?.own?.id).toBe(S.caseA.id);
        for (const k of ['b1', 'b2', 'f', 'r']) expect(res.data?.[k] ?? null).toBeNull();
        const byPath = Object.fromEntries(res.errors!.map((e) => [String(e.path?.[0]), e.message]));
        expect(Object.keys(byPath).sort()).toEqual(['b1', 'b2', 'f', 'r']);
        // No existence oracle: the other team's case answers exactly like a random id.
        expect(byPath.b1).toBe(byPath.r);
        expect(byPath.f).toBe(byPath.r);
      },
    },

    // The flex worker: assigned cases only.
    {
      who: 'flex', op: 'probe: cases lists the assigned case only', query: CASES_Q, expect: 'ok', protect: () => [...caseValues(S.caseA), ...bValues()],
      check: (res) => expectSameIds(ids(res.data!.cases), [S.caseF.id]),
    },
    { who: 'flex', op: 'probe: case(id) of a non-assigned case of team A', query: CASE_Q, variables: () => ({ id: S.caseA.id }), expect: 'NOT_FOUND', target: () => caseValues(S.caseA) },
    { who: 'flex', op: 'probe: household(id) of a non-assigned case', query: HOUSEHOLD_Q, variables: () => ({ id: S.caseA.householdId }), expect: 'NOT_FOUND', target: () => caseValues(S.caseA) },
    { who: 'flex', op: 'probe: accessReport of a non-assigned resident (access reports are the own team’s)', query: ACCESS_Q, variables: () => ({ id: S.caseA.residents[0]!.id }), expect: 'FORBIDDEN', target: () => caseValues(S.caseA) },

    // Partners: nested paths into the case file, another partner's ids.
    {
      who: 'gp', op: 'probe: nested referral → household/case/subject/reason', query: `query($id: ID!) { referral(id: $id) { id status reason subject { givenName familyName } household { id members { givenName } } case { id notes { edges { node { body } } } } } }`,
      variables: () => ({ id: S.gpRef }), expect: 'FORBIDDEN', partial: true,
      target: () => [GP_REASON, ...(S.gpRefHousehold ? [S.gpRefHousehold] : []), ...(S.gpRefCase ? [S.gpRefCase] : [])],
    },
    {
      who: 'gp', op: 'probe: nested referrals → from/team/arrears', query: `query { referrals(first: 100) { edges { node { id from { id name } team { id } reason arrears { amount } contactAttempts { id } } } } }`,
      expect: 'FORBIDDEN', partial: true, target: () => [GP_REASON],
    },
    {
      who: 'gp', op: "probe: ReferralStatus with another practice's referral id (same answer as a random id)", contract: c('partner-gp.graphql', 'ReferralStatus'),
      variables: () => ({ id: S.gp2RefA }), expect: 'NOT_FOUND', target: () => [S.gp2RefA],
      check: async (res) => {
        const missing = await hub.gql(documentFor('partner-gp.graphql', 'ReferralStatus'), { id: RANDOM_ID }, S.tokens.gp, 'ReferralStatus');
        expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(res.errors![0]!.message).toBe(missing.errors![0]!.message);
        expect(res.status).toBe(missing.status);
        expect(res.data ?? null).toEqual(missing.data ?? null);
      },
    },
    {
      who: 'gp2', op: "probe: ReferralStatus with gp-de-linde's referral id", contract: c('partner-gp.graphql', 'ReferralStatus'),
      variables: () => ({ id: S.gpRef }), expect: 'NOT_FOUND', target: () => [S.gpRef, GP_REASON],
    },
    {
      who: 'gp2', op: 'probe: MyReferrals lists its own referrals only', contract: c('partner-gp.graphql', 'MyReferrals'), variables: () => ({ first: 100 }),
      expect: 'ok', protect: () => [...S.gpRefs, ...S.corpSignals, GP_REASON],
      check: (res) => expectSameIds(ids(res.data!.referrals), S.gp2Refs),
    },
    {
      who: 'corp', op: "probe: referral(id) of another corporation's signal", query: 'query($id: ID!) { referral(id: $id) { id status } }',
      variables: () => ({ id: S.corp2Signals[0] }), expect: 'NOT_FOUND', target: () => [S.corp2Signals[0]!],
    },
    {
      who: 'corp', op: "probe: referral(id) of a GP practice's referral", query: 'query($id: ID!) { referral(id: $id) { id status } }',
      variables: () => ({ id: S.gpRef }), expect: 'NOT_FOUND', target: () => [S.gpRef],
    },
    {
      who: 'corp2', op: 'probe: SignalStatuses lists its own signals only', contract: c('partner-corporation.graphql', 'SignalStatuses'), variables: () => ({ first: 100 }),
      expect: 'ok', protect: () => [...S.corpSignals, ...S.gpRefs, CORP_REASON],
      check: (res) => expectSameIds(ids(res.data!.referrals), S.corp2Signals),
    },
    {
      who: 'corp', op: 'probe: nested signal → arrears/reason', query: 'query($id: ID!) { referral(id: $id) { id arrears { amount since } reason subject { familyName } } }',
      variables: () => ({ id: S.corpSignalA }), expect: 'FORBIDDEN', partial: true, target: () => [CORP_REASON, CORP_AMOUNT],
    },
    ...(['gp', 'corp'] as Who[]).flatMap((who): Row[] => [
      { who, op: 'probe: cases', query: CASES_Q, expect: 'FORBIDDEN', target: () => caseValues(S.caseA) },
      { who, op: 'probe: household(id)', query: HOUSEHOLD_Q, variables: () => ({ id: S.caseA.householdId }), expect: 'FORBIDDEN', target: () => caseValues(S.caseA) },
      { who, op: 'probe: caseCounts', query: COUNTS_Q, expect: 'FORBIDDEN' },
    ]),

    // Ambassadors: their team's requests pseudonymised; no case file; other team's ambassador sees none.
    {
      who: 'ambassador', op: "probe: case(id) of a request's case (notes)", query: `query($id: ID!) { case(id: $id) { id notes { totalCount edges { node { body } } } } }`,
      variables: () => ({ id: S.caseA.id }), expect: 'FORBIDDEN', target: () => caseValues(S.caseA),
    },
    { who: 'ambassador', op: 'probe: cases', query: CASES_Q, expect: 'FORBIDDEN', target: () => caseValues(S.caseA) },
    { who: 'ambassador', op: "probe: household(id) of a request's case", query: HOUSEHOLD_Q, variables: () => ({ id: S.caseA.householdId }), expect: 'FORBIDDEN', target: () => caseValues(S.caseA) },
    { who: 'ambassador', op: 'probe: referrals', query: REFERRALS_Q, expect: 'FORBIDDEN', target: () => S.referralsOfA },
    {
      who: 'ambassador', op: 'probe: informalCareRequests (all statuses), pseudonymised', query: REQUESTS_Q, expect: 'ok',
      protect: () => [...caseValues(S.caseA, { givenNames: true }), ...caseValues(S.caseM, { givenNames: true }), ...bValues()],
      check: (res) => expect(ids(res.data!.informalCareRequests)).toEqual(expect.arrayContaining(S.openRequestsOfA)),
    },
    {
      who: 'ambassador', op: "probe: volunteers of its organisation", query: VOLUNTEERS_Q, expect: 'ok',
      check: (res) => expect(ids(res.data!.volunteers)).toEqual(expect.arrayContaining(S.volunteersOfAmbassadorOrg)),
    },
    {
      who: 'ambassadorB', op: "probe: OpenInformalCareRequests shows none of team A's requests", contract: c('informal-care.graphql', 'OpenInformalCareRequests'),
      variables: () => ({ first: 100 }), expect: 'ok', protect: () => [...S.openRequestsOfA, ...caseValues(S.caseA), ...caseValues(S.caseM)],
      check: (res) => expect(ids(res.data!.informalCareRequests).filter((id: string) => S.openRequestsOfA.includes(id))).toEqual([]),
    },
    {
      who: 'ambassadorB', op: "probe: volunteers of another organisation are not listed", query: VOLUNTEERS_Q, expect: 'ok',
      protect: () => [S.ids.volunteer],
    },
    {
      who: 'ambassadorB', op: "probe: VolunteerCandidates for team A's request", contract: c('informal-care.graphql', 'VolunteerCandidates'),
      variables: () => ({ requestId: S.requestA }), expect: 'NOT_FOUND', target: () => [S.requestA, ...caseValues(S.caseA)],
    },
    { who: 'ambassador', op: 'probe: myMatches', query: MATCHES_Q, expect: 'FORBIDDEN', target: () => [S.matchActive, S.matchProposed, S.matchedPhone] },

    // Volunteers: own profile and matches; never requests, volunteers, referrals, case file.
    {
      who: 'volunteer', op: 'probe: myVolunteerProfile', query: 'query { myVolunteerProfile { id givenName activeMatches } }', expect: 'ok',
      check: (res) => expect(res.data!.myVolunteerProfile).toMatchObject({ id: S.ids.volunteer, activeMatches: expect.any(Number) }),
    },
    {
      who: 'volunteer', op: 'probe: nested myMatches → volunteer (ambassador/team field)', query: 'query { myMatches { id volunteer { id givenName } } }',
      expect: 'FORBIDDEN', partial: true,
    },
    {
      who: 'volunteer', op: 'probe: the pseudonymous resident has no family name (validation)', query: 'query { myMatches { id resident { givenName familyName } } }',
      expect: 'BAD_USER_INPUT', target: () => caseValues(S.caseM, { givenNames: false }),
    },
    { who: 'volunteer', op: 'probe: informalCareRequests', query: REQUESTS_Q, expect: 'FORBIDDEN', target: () => [...S.openRequestsOfA, ...caseValues(S.caseA)] },
    { who: 'volunteer', op: 'probe: volunteers', query: VOLUNTEERS_Q, expect: 'FORBIDDEN', target: () => S.volunteersOfAmbassadorOrg.filter((v) => v !== S.ids.volunteer) },
    { who: 'volunteer', op: 'probe: referrals', query: REFERRALS_Q, expect: 'FORBIDDEN', target: () => S.referralsOfA },
    { who: 'volunteer', op: "probe: case(id) of a match's case", query: CASE_Q, variables: () => ({ id: S.caseM.id }), expect: 'FORBIDDEN', target: () => caseValues(S.caseM) },
    { who: 'volunteer', op: 'probe: cases', query: CASES_Q, expect: 'FORBIDDEN', target: () => caseValues(S.caseM) },

    // Dashboards today (caseCounts): leads (own teams) and analysts.
    {
      who: 'lead', op: 'probe: caseCounts (own teams)', query: COUNTS_Q, expect: 'ok',
      check: (res) => expect(res.data!.caseCounts.perTeam.map((t: { team: { id: string } }) => t.team.id)).toEqual([S.teamA]),
    },
    {
      who: 'lead', op: 'probe: QuarterReport of team B', contract: c('dashboard.graphql', 'QuarterReport'),
      variables: () => ({ period: lastQuarter(), teamId: S.teamB }), expect: 'FORBIDDEN',
    },
    { who: 'lead', op: 'probe: caseCounts of team B', query: COUNTS_Q, variables: () => ({ teamId: S.teamB }), expect: 'FORBIDDEN' },
    {
      who: 'analyst', op: "probe: caseCounts (the city's totals, no teams)", query: COUNTS_Q, expect: 'ok',
      check: (res) => {
        const cc = res.data!.caseCounts;
        expect(cc.perTeam).toEqual([]);
        expect(cc.total.active).toBeGreaterThan(0);
      },
    },
    { who: 'analyst', op: 'probe: caseCounts of one team', query: COUNTS_Q, variables: () => ({ teamId: S.teamA }), expect: 'FORBIDDEN' },
    ...(['worker', 'flex', 'ambassador', 'volunteer', 'admin'] as Who[]).map((who): Row => ({ who, op: 'probe: caseCounts', query: COUNTS_Q, expect: 'FORBIDDEN' })),

    // ANALYST: aggregates only.
    ...analystAndAdminRows('analyst'),
    // ADMIN: teams, staff, organisations; never case content.
    ...analystAndAdminRows('admin'),
    {
      who: 'admin', op: 'probe: staffMembers', query: 'query { staffMembers { id name role } }', expect: 'ok',
      check: (res) => expect(res.data!.staffMembers.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([S.ids.worker, S.ids.flex, S.ids.ambassador])),
    },
    ...(['worker', 'analyst', 'gp'] as Who[]).map((who): Row => ({ who, op: 'probe: staffMembers', query: 'query { staffMembers { id email } }', expect: 'FORBIDDEN' })),
  ];
  return rows;
}

function analystAndAdminRows(who: 'analyst' | 'admin'): Row[] {
  const t = () => caseValues(S.caseA);
  return [
    { who, op: 'probe: case(id)', query: CASE_Q, variables: () => ({ id: S.caseA.id }), expect: 'FORBIDDEN', target: t },
    { who, op: 'probe: cases', query: CASES_Q, expect: 'FORBIDDEN', target: t },
    { who, op: 'probe: household(id)', query: HOUSEHOLD_Q, variables: () => ({ id: S.caseA.householdId }), expect: 'FORBIDDEN', target: t },
    { who, op: 'probe: referrals', query: REFERRALS_Q, expect: 'FORBIDDEN', target: () => S.referralsOfA },
    { who, op: 'probe: referral(id)', query: 'query($id: ID!) { referral(id: $id) { id status } }', variables: () => ({ id: S.gpRef }), expect: 'FORBIDDEN', target: () => [S.gpRef] },
    { who, op: 'probe: accessReport', query: ACCESS_Q, variables: () => ({ id: S.caseA.residents[0]!.id }), expect: 'FORBIDDEN', target: t },
    { who, op: 'probe: myMatches', query: MATCHES_Q, expect: 'FORBIDDEN', target: () => [S.matchActive, S.matchProposed] },
    { who, op: 'probe: informalCareRequests', query: REQUESTS_Q, expect: 'FORBIDDEN', target: () => S.openRequestsOfA },
    { who, op: 'probe: volunteers', query: VOLUNTEERS_Q, expect: 'FORBIDDEN', target: () => S.volunteersOfAmbassadorOrg },
  ];
}

// ---------------------------------------------------------------------------------------
// Checks

function expectSameIds(actual: string[], expected: string[]) {
  expect([...actual].sort()).toEqual([...expected].sort());
}

function expectCaseDetail(res: GqlResponse, info: CaseInfo) {
  const d = res.data!.case;
  expect(d.id).toBe(info.id);
  expect(d.household.id).toBe(info.householdId);
  expect(d.household.address.street).toBe(info.marker.street);
  expect(d.household.members.map((m: { id: string }) => m.id).sort()).toEqual(info.residents.map((r) => r.id).sort());
  expect(d.notes.totalCount).toBeGreaterThan(0);
  expect(res.raw).toContain(info.marker.note);
}

function expectTeamCases(res: GqlResponse) {
  expect(res.data!.cases.totalCount).toBe(S.casesOfA.length);
  expectSameIds(ids(res.data!.cases), S.casesOfA);
}

function expectNoContactPerson(res: GqlResponse) {
  for (const e of res.data?.referrals?.edges ?? []) expect(e.node.contactPerson ?? null).toBeNull();
}

/** The same query with a random id answers with the same code and message (no existence oracle). */
function sameAsMissing(query: string) {
  return async (res: GqlResponse, row: Row) => {
    const vars = row.variables!();
    const key = Object.keys(vars)[0]!;
    const missing = await hub.gql(query, { ...vars, [key]: RANDOM_ID }, S.tokens[row.who]);
    expect(missing.errors?.[0]?.extensions?.code).toBe(res.errors?.[0]?.extensions?.code);
    expect(res.errors![0]!.message).toBe(missing.errors![0]!.message);
  };
}

function codes(res: GqlResponse): (string | undefined)[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

function hasData(res: GqlResponse): boolean {
  return Object.values(res.data ?? {}).some((v) => v !== null);
}

/** Values found in the body. Short digit strings (BSN last four) only where the body carries no data. */
function leaks(res: GqlResponse, values: string[]): string[] {
  const withData = hasData(res);
  const wanted = [...new Set(values.filter((v) => typeof v === 'string' && v.length > 0))].filter((v) => !(withData && /^\d{1,5}$/.test(v)));
  return wanted.filter((v) => res.raw.includes(v));
}

function title(row: Row): string {
  const outcome = row.expect === 'pending' ? `pending (${row.reason!.split(' — ')[0]})` : row.expect;
  return `${LABEL[row.who]} · ${row.op} → ${outcome}`;
}

async function send(row: Row): Promise<GqlResponse> {
  const token = row.who === 'anon' ? undefined : S.tokens[row.who];
  const vars = row.variables?.() ?? {};
  if (row.contract) {
    const [file, op] = row.contract;
    return hub.gql(documentFor(file, op), vars, token, op);
  }
  return hub.gql(row.query!, vars, token);
}

async function runRow(row: Row) {
  if (row.expect === 'pending') {
    const [file, op] = row.contract!;
    const token = row.who === 'anon' ? undefined : S.tokens[row.who];
    const res = await hub.gql(singleOperation(CONTRACT[file]!, op), {}, token, op);
    const messages = (res.errors ?? []).map((e) => e.message);
    // Still refused by validation: the feature has not landed. When this fails, the operation
    // validates: give this row its real expectation (see `reason`).
    expect(codes(res).length, `${op} answered without errors: it exists now (${row.reason})`).toBeGreaterThan(0);
    expect(codes(res).every((c) => c === 'BAD_USER_INPUT'), JSON.stringify(res.errors)).toBe(true);
    expect(messages.some((m) => /Cannot query field|Unknown type|Unknown argument/.test(m)), `${op} no longer fails validation (${row.reason}): ${messages.join(' | ')}`).toBe(true);
    expect(res.data ?? null).toBeNull();
    return;
  }

  const res = await send(row);
  if (row.expect === 'ok') {
    expect(res.errors, `${title(row)}: ${JSON.stringify(res.errors)}`).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.data).toBeTruthy();
    expect(Object.values(res.data!).every((v) => v !== null)).toBe(true);
    expect(leaks(res, row.protect?.() ?? []), `leaked in ${res.raw.slice(0, 2000)}`).toEqual([]);
  } else {
    expect(codes(res).length, `expected ${row.expect}, got ${res.raw.slice(0, 1000)}`).toBeGreaterThan(0);
    expect([...new Set(codes(res))], res.raw.slice(0, 1000)).toEqual([row.expect]);
    if (!row.partial) {
      expect(Object.values(res.data ?? {}).every((v) => v === null), `data next to ${row.expect}: ${res.raw.slice(0, 1000)}`).toBe(true);
    }
    const values = [...bValues(), ...(row.target?.() ?? []), ...(row.protect?.() ?? [])];
    expect(leaks(res, values), `leaked in ${res.raw.slice(0, 2000)}`).toEqual([]);
  }
  await row.check?.(res, row);
}

// ---------------------------------------------------------------------------------------
// Setup

let hub: TestHub;

async function sql<T = Record<string, any>>(query: string, params: unknown[] = []): Promise<T[]> {
  return hub.em().getConnection().execute<T[]>(query, params);
}

async function one<T = Record<string, any>>(query: string, params: unknown[] = []): Promise<T> {
  const rows = await sql<T>(query, params);
  if (!rows[0]) throw new Error(`setup: no row for ${query} ${JSON.stringify(params)}`);
  return rows[0];
}

const col = async (query: string, params: unknown[] = []) => (await sql<{ id: string }>(query, params)).map((r) => r.id);

/** Gives a case's household distinctive values, and one of its notes the marker text. */
async function markCase(caseId: string, m: Marker): Promise<CaseInfo> {
  const c = await one<{ id: string; team_id: string; household_id: string }>('select id, team_id, household_id from "case" where id = ?', [caseId]);
  await sql('update household set street = ?, postcode = ? where id = ?', [m.street, m.postcode, c.household_id]);
  await sql(
    `with r as (select id, row_number() over (order by id) as n from resident where household_id = ?)
     update resident set given_name = ?::text || r.n::text, family_name = ?, phone = ?::text || r.n::text from r where resident.id = r.id`,
    [c.household_id, m.given, m.family, m.phone],
  );
  const notes = await col('select id from case_note where case_id = ? order by created_at, id', [caseId]);
  if (notes.length === 0) throw new Error(`setup: case ${caseId} has no notes`);
  await sql('update case_note set body = ? where id = ?', [m.note, notes[0]]);
  const residents = await sql<{ id: string; given_name: string; family_name: string; phone: string | null; bsn_last4: string | null }>(
    'select id, given_name, family_name, phone, bsn_last4 from resident where household_id = ? order by id',
    [c.household_id],
  );
  return {
    id: c.id,
    teamId: c.team_id,
    householdId: c.household_id,
    residents: residents.map((r) => ({ id: r.id, givenName: r.given_name, familyName: r.family_name, phone: r.phone, bsnLast4: r.bsn_last4 })),
    noteIds: notes,
    marker: m,
  };
}

async function setup() {
  hub = await startTestHub();
  await seedDemo(hub.em(), { bsnKey: TEST_BSN_KEY });

  const teamId = async (code: string) => (await one<{ id: string }>('select id from team where code = ?', [code])).id;
  const staffId = async (email: string) => (await one<{ id: string }>('select id from staff where email = ?', [email])).id;
  const orgId = async (code: string) => (await one<{ id: string }>('select id from organisation where code = ?', [code])).id;

  S.teamA = await teamId(TEAM_A);
  S.teamB = await teamId(TEAM_B);
  S.flexTeam = await teamId('flex');
  S.flexCaseTeam = await teamId(DEMO_FLEX_TEAM);
  S.gpOrg = await orgId('gp-de-linde');
  S.ids = {
    worker: await staffId(`worker1.${TEAM_A}@voordeur.test`),
    lead: await staffId(`lead.${TEAM_A}@voordeur.test`),
    flex: await staffId('flex1@voordeur.test'),
    ambassador: await staffId(`ambassador.${TEAM_A}@voordeur.test`),
    volunteer: (await one<{ id: string }>('select id from volunteer where email = ?', ['volunteer1@voordeur.test'])).id,
    gp: S.gpOrg,
    corp: await orgId('corp-mitros'),
    analyst: await staffId('analyst@voordeur.test'),
    admin: await staffId('admin@voordeur.test'),
    anon: '',
    workerB: await staffId(`worker1.${TEAM_B}@voordeur.test`),
    leadB: await staffId(`lead.${TEAM_B}@voordeur.test`),
    ambassadorB: await staffId(`ambassador.${TEAM_B}@voordeur.test`),
    gp2: await orgId('gp-overvecht'),
    corp2: await orgId('corp-portaal'),
  };
  S.tokens = {};
  for (const who of Object.keys(S.ids) as Who[]) if (who !== 'anon') S.tokens[who] = await hub.tokenFor(S.ids[who]);

  // volunteer1's two matches (one ACTIVE, one PROPOSED) and the cases behind them: both in team A.
  const matches = await sql<{ id: string; status: string; case_id: string; team_id: string; resident_id: string; request_id: string }>(
    `select m.id, m.status, r.case_id, r.team_id, r.resident_id, r.id as request_id
       from volunteer_match m join informal_care_request r on r.id = m.request_id where m.volunteer_id = ?`,
    [S.ids.volunteer],
  );
  const active = matches.find((m) => m.status === 'ACTIVE');
  const proposed = matches.find((m) => m.status === 'PROPOSED');
  if (!active || !proposed || active.team_id !== S.teamA || proposed.team_id !== S.teamA) {
    throw new Error(`setup: expected volunteer1 to have an ACTIVE and a PROPOSED match in ${TEAM_A}: ${JSON.stringify(matches)}`);
  }
  S.matchActive = active.id;
  S.matchProposed = proposed.id;
  S.requestA = proposed.request_id;
  S.requestAResident = proposed.resident_id;
  S.matchedResident = active.resident_id;

  const [caseB] = await col(
    `select c.id from "case" c where c.team_id = ? and c.status = 'ACTIVE' and exists (select 1 from case_note n where n.case_id = c.id) order by c.registered_at, c.id`,
    [S.teamB],
  );
  const flexCase = await one<{ case_id: string }>('select case_id from flex_assignment where staff_id = ?', [S.ids.flex]);

  S.caseA = await markCase(proposed.case_id, MARK_A);
  S.caseM = await markCase(active.case_id, MARK_M);
  S.caseB = await markCase(caseB!, MARK_B);
  S.caseF = await markCase(flexCase.case_id, MARK_F);
  S.matchedPhone = S.caseM.residents.find((r) => r.id === S.matchedResident)!.phone!;

  // Distinctive reasons and amounts on the partners' referrals.
  const gpRefs = await sql<{ id: string; household_id: string | null; case_id: string | null; external_id: string }>(
    'select id, household_id, case_id, external_id from referral where from_id = ? order by received_at, id',
    [S.gpOrg],
  );
  if (gpRefs.length === 0) throw new Error('setup: gp-de-linde has no referrals');
  S.gpRef = gpRefs[0]!.id;
  S.gpRefHousehold = gpRefs[0]!.household_id;
  S.gpRefCase = gpRefs[0]!.case_id;
  await sql('update referral set reason = ? where id = ?', [GP_REASON, S.gpRef]);
  S.corpSignalA = (await one<{ id: string }>(`select id from referral where from_id = ? and team_id = ? and status = 'RECEIVED' order by id limit 1`, [S.ids.corp, S.teamA])).id;
  await sql('update referral set reason = ?, arrears_amount = ? where id = ?', [CORP_REASON, CORP_AMOUNT, S.corpSignalA]);

  // A fresh referral of gp-de-linde in team A, for CancelReferral.
  {
    const em = hub.em();
    const from = await em.findOneOrFail(Organisation, S.gpOrg);
    const team = await em.findOneOrFail(Team, S.teamA);
    const r = buildReferral(em, { from, team, kind: ReferralKind.GP_REFERRAL, status: ReferralStatus.RECEIVED, reason: GP_REASON, bsnKey: TEST_BSN_KEY });
    await em.flush();
    S.gpCancellable = r.id;
  }

  S.gpRefs = await col('select id from referral where from_id = ?', [S.gpOrg]);
  S.gpRefsExternal = gpRefs.map((r) => r.external_id);
  S.gp2Refs = await col('select id from referral where from_id = ?', [S.ids.gp2]);
  S.gp2RefA = (await one<{ id: string }>('select id from referral where from_id = ? and team_id = ? order by id limit 1', [S.ids.gp2, S.teamA])).id;
  S.corpSignals = await col('select id from referral where from_id = ?', [S.ids.corp]);
  S.corp2Signals = await col('select id from referral where from_id = ?', [S.ids.corp2]);
  S.casesOfA = await col('select id from "case" where team_id = ?', [S.teamA]);
  S.referralsOfA = await col('select id from referral where team_id = ?', [S.teamA]);
  S.referralsOfB = await col('select id from referral where team_id = ?', [S.teamB]);
  S.requestsOfB = await col('select id from informal_care_request where team_id = ?', [S.teamB]);
  S.openRequestsOfA = await col(`select id from informal_care_request where team_id = ? and status = 'OPEN'`, [S.teamA]);
  S.otherMatchesOfA = await col('select id from volunteer_match where team_id = ? and volunteer_id <> ?', [S.teamA, S.ids.volunteer]);
  S.flexReferrals = await col('select id from referral where case_id = ?', [S.caseF.id]);
  S.flexOpenRequests = (await col(`select id from informal_care_request where case_id = ? and status = 'OPEN'`, [S.caseF.id])).length;
  S.volunteer1Org = (await one<{ organisation_id: string }>('select organisation_id from volunteer where id = ?', [S.ids.volunteer])).organisation_id;
  const ambassadorOrg = (await one<{ organisation_id: string }>('select organisation_id from staff where id = ?', [S.ids.ambassador])).organisation_id;
  S.volunteersOfAmbassadorOrg = await col('select id from volunteer where organisation_id = ?', [ambassadorOrg]);
  S.ambassadorOrg = ambassadorOrg;
  S.candidate = (
    await one<{ id: string }>(
      `select v.id from volunteer v where v.organisation_id = ? and v.active and not v.paused and v.id <> ?
          and v.vog_issued_at >= (current_date - interval '35 months')
          and (select count(*) from volunteer_match m where m.volunteer_id = v.id and m.status in ('PROPOSED', 'ACCEPTED', 'ACTIVE')) < v.max_matches
          and not exists (select 1 from volunteer_match m where m.volunteer_id = v.id and m.request_id = ?)
        order by v.id limit 1`,
      [ambassadorOrg, S.ids.volunteer, S.requestA],
    )
  ).id;
  if (S.flexReferrals.length === 0) throw new Error('setup: the flex case has no referral; the flex rows of MyReferrals/ReferralStatus need one');
}

// ---------------------------------------------------------------------------------------
// The tests

if (!haveContract) {
  describe('permission matrix', () => {
    it.skip("skipped because ../shared/contract is absent (as in a user's clone)", () => {});
  });
} else {
  const READS = contractReadRows();
  const MUTATIONS = mutationRows();
  const PENDINGS = pendingRows();
  const PROBES = probeRows();
  const table = (rows: Row[]) => rows.map((r) => [title(r), r] as [string, Row]);

  describe('permission matrix (DESIGN.md 2) over HTTP on the demo seed', () => {
    beforeAll(setup);
    afterAll(async () => {
      await hub?.stop();
    });

    it('covers every role × every contract file, and every contract operation', () => {
      const all = [...READS, ...MUTATIONS, ...PENDINGS, ...PROBES];
      for (const file of FILES) {
        for (const who of MAIN) {
          expect(all.some((r) => r.who === who && r.contract?.[0] === file), `${LABEL[who]} × ${file}`).toBe(true);
        }
        for (const op of operationNames(CONTRACT[file]!)) {
          expect(all.some((r) => r.contract?.[0] === file && r.contract[1] === op), `${file}:${op} has no row`).toBe(true);
        }
      }
      // The pending list names only operations of the contract.
      for (const key of Object.keys(PENDING)) {
        const [file, op] = key.split(':') as [ContractFileName, string];
        expect(operationNames(CONTRACT[file]!)).toContain(op);
      }
    });

    describe('contract reads: every role', () => {
      it.each(table(READS))('%s', async (_t, row) => runRow(row));
    });

    describe('contract mutations: the allowed role and refused roles', () => {
      it.each(table(MUTATIONS))('%s', async (_t, row) => runRow(row));
    });

    // Empty once every issue has landed (an empty it.each would fail the file).
    if (PENDINGS.length) {
      describe('contract operations still pending (must fail validation until their issue lands)', () => {
        it.each(table(PENDINGS))('%s', async (_t, row) => runRow(row));
      });
    }

    describe('leak paths', () => {
      it.each(table(PROBES))('%s', async (_t, row) => runRow(row));
    });

    describe('audit (NEN 7513): allowed reads and denials are logged with the actor', () => {
      async function logged(action: string, actor: string, objectType: string, objectId?: string, operation?: string) {
        const rows = await sql<{ actor_role: string | null; detail: any }>(
          `select actor_role, detail from access_log where action = ? and actor_id = ? and object_type = ?
             ${objectId ? 'and object_id = ?' : ''} ${operation ? "and detail->>'operation' = ?" : ''}`,
          [action, actor, objectType, ...(objectId ? [objectId] : []), ...(operation ? [operation] : [])],
        );
        return rows;
      }

      const reads: [Who, string, () => string][] = [
        ['gp', 'Referral', () => S.gpRef],
        ['ambassador', 'InformalCareRequest', () => S.requestA],
        ['volunteer', 'VolunteerMatch', () => S.matchActive],
        ['volunteer', 'Resident', () => S.matchedResident], // the phone on the ACTIVE match
        ['worker', 'Case', () => S.caseA.id],
        ['flex', 'Case', () => S.caseF.id],
      ];
      it.each(reads.map(([w, t, id]) => [`${LABEL[w]} READ ${t}`, w, t, id] as const))('%s', async (_t, who, type, id) => {
        const rows = await logged('READ', S.ids[who], type, id());
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.actor_role === ROLE_OF[who])).toBe(true);
      });

      it('a volunteer read no phone of the PROPOSED match (no READ of that resident)', async () => {
        expect(await logged('READ', S.ids.volunteer, 'Resident', S.requestAResident)).toEqual([]);
      });

      const denials: [Who, string, () => string | undefined, string?][] = [
        ['worker', 'Case', () => S.caseB.id],
        ['worker', 'Household', () => S.caseB.householdId],
        ['worker', 'Resident', () => S.caseB.residents[0]!.id],
        ['gp', 'Referral', () => S.gp2RefA],
        ['flex', 'Case', () => S.caseA.id],
        ['analyst', 'Operation', () => undefined, 'Query.case'],
        ['analyst', 'Operation', () => undefined, 'Query.myMatches'],
        ['admin', 'Operation', () => undefined, 'Query.cases'],
        ['ambassador', 'Operation', () => undefined, 'Query.case'],
        ['volunteer', 'Operation', () => undefined, 'Query.informalCareRequests'],
      ];
      it.each(denials.map(([w, t, id, op]) => [`${LABEL[w]} DENIED ${t}${op ? ` (${op})` : ''}`, w, t, id, op] as const))(
        '%s',
        async (_t, who, type, id, op) => {
          const rows = await logged('DENIED', S.ids[who], type, id(), op);
          expect(rows.length).toBeGreaterThan(0);
          expect(rows.every((r) => r.actor_role === ROLE_OF[who])).toBe(true);
        },
      );
    });
  });
}
