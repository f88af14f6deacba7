/**
 * CaseDetail's compliant floor (`npm run bench -- --floor`): the least that any server which
 * authenticates, scopes and audits has to do for the CaseDetail answer, without GraphQL, loaders
 * or entity mapping. Per request it verifies the bearer token with the API's own verifier (which,
 * as in the API, takes a token it verified in the last minute without checking the signature
 * again), loads the principal with the API's own statement (PRINCIPAL_SQL of
 * src/permissions/viewer.ts), and runs ONE statement: the
 * baseline's (bench/baseline.ts) restricted to the viewer's teams, with the READ rows the API
 * writes for this answer (case, household, members, assessments, consents, referral, the notes
 * of the page) in a data-modifying CTE, committed with the read. The baseline server answers it
 * at POST /floor/caseDetail.
 *
 * Why: the target "CaseDetail ≥ 0.5 × the baseline" compares the API with a server that does
 * none of that. The floor measures, in the same run, how much of the gap is the access control
 * and the audit trail that DESIGN.md requires rather than the API's own layer.
 * tests/integration/bench-baseline.test.ts holds it to the API's answer and READ rows; the
 * harness checks both again on its own database before it measures.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createTokenVerifier, type TokenVerifier } from '../src/auth/jwt.js';
import { prepare } from '../src/db/sql.js';
import { PRINCIPAL_SQL } from '../src/permissions/viewer.js';
import { caseDetailSql } from './baseline.js';

/** The API's own principal statement, as the API prepares it. */
const VIEWER = prepare(PRINCIPAL_SQL);

/**
 * $1 case, $2 the viewer's teams, $3–$8 the request's audit columns (at, actor id, name, role,
 * organisation, request id); the purpose is the API's default, CARE. A function, not a constant:
 * baseline.ts imports this module, and this one baseline.ts's caseDetailSql.
 */
export const caseDetailFloorSql = () => `with c0 as (select id, household_id from "case" where id = $1 and team_id = any($2::uuid[])),
audit as (insert into access_log (at, actor_id, actor_name, actor_role, organisation, action, object_type, object_id, household_id, purpose, request_id)
  select $3::timestamptz, $4::uuid, $5::text, $6::text, $7::text, 'READ', r.t, r.id, r.h, 'CARE', $8::text from (
    select 'Case' t, c.id::text id, c.household_id h from c0 c
    union all select 'Household', h.id::text, h.id from household h join c0 c on h.id = c.household_id
    union all select 'Resident', r.id::text, r.household_id from resident r join c0 c on r.household_id = c.household_id
    union all select 'ZrmAssessment', z.id::text, c.household_id from zrm_assessment z join c0 c on z.case_id = c.id
    union all select 'Consent', k.id::text, c.household_id from consent k join resident r on r.id = k.resident_id join c0 c on r.household_id = c.household_id
    union all (select 'Referral', f.id::text, f.household_id from referral f join c0 c on f.case_id = c.id order by f.received_at, f.id limit 1)
    union all (select 'CaseNote', n.id::text, c.household_id from case_note n join c0 c on n.case_id = c.id order by n.created_at desc, n.id desc limit 20)
  ) r returning 1)
${caseDetailSql(' and c.team_id = any($2::uuid[])')}`;

let floorSql: string | undefined;

export interface Principal {
  kind: 'staff' | 'volunteer' | 'partner';
  id: string;
  name: string;
  role: string | null;
  organisation_name: string | null;
  team_ids: string[];
}

export interface FloorOptions {
  /** The API's own verifier (src/auth/jwt.ts), so the floor checks tokens exactly as the API does. */
  verifier: TokenVerifier;
  /**
   * The remembered floor (`POST /floor/caseDetailRemembered`): principals by token subject, loaded
   * once and kept for the server's life. That is what a principal cache with perfect invalidation
   * would cost (the bench changes no principal), and it is NOT compliant as it stands: the hub
   * loads the principal per request so that a withdrawn membership or a deactivated account
   * takes effect on the next request. It measures how much of the floor that one statement is.
   */
  remembered?: Map<string, Principal>;
}

export type FloorAnswer = { status: 200; body: unknown } | { status: 401; body: { error: string } };

async function loadPrincipal(pool: pg.Pool | pg.ClientBase, subject: string): Promise<Principal | undefined> {
  const principals = (await pool.query<Principal>({ ...VIEWER, values: [subject, subject, subject] })).rows;
  // Staff first, as loadViewer orders them; only staff have teams, so anyone else sees no case.
  return principals.find((p) => p.kind === 'staff') ?? principals[0];
}

/** The floor's options for HS256 tokens of this secret and issuer (as the API is configured in the bench). */
export function floorOptions(secret: string, issuer: string): FloorOptions {
  return { verifier: createTokenVerifier({ JWT_SECRET: secret, JWT_ISSUER: issuer }) };
}

/** One CaseDetail request as the floor serves it; `variables` as the API gets them ({ id }). */
export async function caseDetailFloor(
  pool: pg.Pool | pg.ClientBase,
  opts: FloorOptions,
  authorization: string | undefined,
  variables: { id?: unknown },
  requestId: string = randomUUID(),
): Promise<FloorAnswer> {
  const subject = authorization?.startsWith('Bearer ') ? await opts.verifier.verify(authorization.slice(7)) : null;
  if (!subject) return { status: 401, body: { error: 'invalid token' } };
  const viewer = opts.remembered?.get(subject) ?? (await loadPrincipal(pool, subject));
  if (!viewer) return { status: 401, body: { error: 'unknown principal' } };
  opts.remembered?.set(subject, viewer);
  const { rows } = await pool.query<{ body: unknown }>({
    name: 'floor_caseDetail',
    text: (floorSql ??= caseDetailFloorSql()),
    values: [variables.id, viewer.team_ids, new Date().toISOString(), viewer.id, viewer.name, viewer.role, viewer.organisation_name, requestId],
  });
  return { status: 200, body: rows[0]!.body };
}

/**
 * The audit rows of one request as comparable strings: everything but id, time and request id.
 * How the harness and tests/integration/bench-baseline.test.ts hold the floor to the API's rows.
 */
export async function auditRowsOf(db: pg.ClientBase, requestId: string): Promise<string[]> {
  const { rows } = await db.query<{ row: string }>(
    `select array_to_string(array[actor_id::text, actor_name, actor_role, organisation, action, object_type, object_id, household_id::text, purpose], '|', '') as row
     from access_log where request_id = $1 order by 1`,
    [requestId],
  );
  return rows.map((r) => r.row);
}
