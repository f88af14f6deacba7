import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { idsOrNone, requireViewer } from '../../permissions/scope.js';
import { writeOutbox } from '../../jobs/outbox.js';
import { VolunteerMatch } from './informal-care.entity.js';
import type { DueCheckIn } from './informal-care.inputs.js';

/**
 * Check-ins on ACTIVE matches: the first is due one month after the start, each next one three
 * months after the latest check-in. A check-in is "due" from the first moment of its due day
 * (UTC) on, and stays due (overdue) until the ambassador records one.
 */
export const CHECK_IN_REMINDER_TOPIC = 'informal-care.check-in-reminder';

export interface DueRow {
  match_id: string;
  team_id: string;
  due_at: Date;
  /** The due day, YYYY-MM-DD (UTC). */
  due_on: string;
  ambassador_id: string | null;
}

/** Start of the UTC day after `now`: everything due before it is due today or overdue. */
function endOfDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** One SQL statement: ACTIVE matches (of `teamIds`, or all) whose check-in is due on or before `now`'s day. */
export async function dueCheckInRows(em: EntityManager, now: Date, teamIds: readonly string[] | null): Promise<DueRow[]> {
  const teamFilter = teamIds ? 'and m.team_id in (?)' : '';
  const params: unknown[] = teamIds ? [idsOrNone(teamIds)] : [];
  const rows = await em.execute<(Omit<DueRow, 'due_at'> & { due_at: Date | string })[]>(
    `select match_id, team_id, due_at, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD') as due_on, ambassador_id from (
       select m.id as match_id, m.team_id,
              case when l.last_at is null
                   then (m.started_at at time zone 'UTC' + interval '1 month') at time zone 'UTC'
                   else (l.last_at at time zone 'UTC' + interval '3 months') at time zone 'UTC' end as due_at,
              (select s.id from staff s join staff_team st on st.staff_id = s.id
                where st.team_id = m.team_id and s.role = 'AMBASSADOR' and s.active
                order by s.created_at, s.id limit 1) as ambassador_id
       from volunteer_match m
       left join lateral (select max(c.at) as last_at from match_check_in c where c.match_id = m.id) l on true
       where m.status = 'ACTIVE' and m.started_at is not null ${teamFilter}
     ) d
     where due_at < ?
     order by due_at, match_id`,
    [...params, endOfDay(now)],
  );
  return rows.map((r) => ({ ...r, due_at: new Date(r.due_at) }));
}

/** Ambassador: the ACTIVE matches of their team(s) with a check-in due or overdue, oldest first. */
export async function dueCheckIns(ctx: Context, now = new Date()): Promise<DueCheckIn[]> {
  const viewer = requireViewer(ctx);
  if (viewer.memberTeamIds.size === 0) return [];
  const rows = await dueCheckInRows(ctx.em, now, [...viewer.memberTeamIds]);
  if (rows.length === 0) return [];
  const matches = await ctx.em.find(VolunteerMatch, { id: { $in: rows.map((r) => r.match_id) } }, { populate: ['request'] });
  await auditMatchReads(ctx, matches);
  const byId = new Map(matches.map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const match = byId.get(r.match_id);
    return match ? [{ match, dueAt: r.due_at }] : [];
  });
}

/**
 * For the worker's daily job: one outbox message per due (or overdue) check-in, ids only
 * ({ matchId, ambassadorId, dueOn }). Idempotent per match and due day: a check_in_reminder
 * row (primary key match + due day) is inserted in the same transaction as the outbox row,
 * so running it twice — or on two replicas — queues each reminder once. A new check-in moves
 * the due day, so the next reminder comes when that day arrives. Returns how many were queued.
 */
export async function enqueueDueCheckInReminders(em: EntityManager, now = new Date()): Promise<{ queued: number; due: number }> {
  const rows = await dueCheckInRows(em, now, null);
  if (rows.length === 0) return { queued: 0, due: 0 };
  const queued = await em.transactional(async (tem) => {
    const inserted = await tem.execute<{ match_id: string; due_on: string }[]>(
      `insert into check_in_reminder (match_id, due_on)
       select * from unnest(?::uuid[], ?::date[])
       on conflict do nothing
       returning match_id, to_char(due_on, 'YYYY-MM-DD') as due_on`,
      // Array literals of uuids and dates (a JS array would be expanded into a list by knex).
      [`{${rows.map((r) => r.match_id).join(',')}}`, `{${rows.map((r) => r.due_on).join(',')}}`],
    );
    const byMatch = new Map(rows.map((r) => [`${r.match_id}:${r.due_on}`, r]));
    for (const row of inserted) {
      const due = byMatch.get(`${row.match_id}:${row.due_on}`);
      writeOutbox(tem, CHECK_IN_REMINDER_TOPIC, { matchId: row.match_id, ambassadorId: due?.ambassador_id ?? null, dueOn: row.due_on });
    }
    return inserted.length;
  });
  return { queued, due: rows.length };
}

/**
 * READ rows for matches, each with its resident's household (through the request's case), so
 * that volunteers' and ambassadors' reads show in the resident's access report. The matches'
 * requests must be loaded.
 */
export async function auditMatchReads(ctx: Context, matches: readonly VolunteerMatch[]): Promise<void> {
  const households = await Promise.all(matches.map((m) => ctx.loaders.householdIdOfCase.load(m.request.case.id)));
  matches.forEach((m, i) => ctx.audit.read('VolunteerMatch', m.id, households[i] ?? null));
}
