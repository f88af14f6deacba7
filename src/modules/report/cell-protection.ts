/**
 * Small-cell protection for analysts that holds across answers, not only cell by cell.
 *
 * Hiding each count from 1 to 4 on its own (suppression.ts) is not enough: the city total
 * minus the other teams' counts, or a team's started cases minus its other referral sources,
 * gives a hidden count back exactly, in one answer or by combining the city-wide answer with
 * single-team ones. So the analyst's answers are cut from one table of every team's counts,
 * with every sum an answer shows (a city figure over the teams, a team's total over its
 * categories) as a constraint, and more cells are hidden until no constraint has exactly one
 * unknown: complementary suppression. The pattern depends on the quarter's data only, so the
 * city-wide answer and every single-team answer hide the same cells.
 *
 * Shares and averages count as their cells: a share's numerator and its complement, an
 * average's number of cases. And because one team's stock of running cases moves from quarter
 * to quarter by its flows, a team's started, running and closed counts are hidden together
 * (see reportConstraints), so the answers of adjacent quarters give no hidden flow back either.
 *
 * This closes "one subtraction" (the usual standard for published tables); it does not claim
 * to stop every combination of several constraints at once.
 */
import { ClosureReason, FeedbackKind, FeedbackStatus, ReferralSource } from '../common/enums.js';
import { ZRM_DOMAINS } from '../case/zrm-domains.js';
import { isSuppressed } from './suppression.js';
import type { ReportFigures } from './quarter-report.js';

/** A sum an answer shows: of `cells`, equal to the cell `total`, or to a shown city figure (null). */
export interface Constraint {
  cells: string[];
  total: string | null;
}

const N = (v: number | string | null | undefined) => Number(v ?? 0);

/** The counts of one team's figures by cell key: the keys `assembleReport` shows them under. */
export function reportCells(f: ReportFigures): Map<string, number> {
  const cells = new Map<string, number>();
  const add = (key: string, n: number) => cells.set(key, (cells.get(key) ?? 0) + n);
  const totals = { ws: 0, st: 0, ru: 0, cl: 0 };
  for (const s of f.state) {
    totals.ws += N(s.ws);
    totals.st += N(s.st);
    totals.ru += N(s.ru);
    totals.cl += N(s.cl);
  }
  for (const [k, n] of Object.entries(totals)) add(k, n);
  // Running cases are the started ones and those carried over, and (nearly) the closed ones and
  // those still open: a difference of shown counts that names a group, so a cell of its own.
  add('ru:carried', totals.ru - totals.st);
  add('ru:open', totals.ru - totals.cl);
  for (const source of Object.values(ReferralSource)) add(`src:${source}`, 0);
  for (const s of f.sources) add(`src:${s.k}`, N(s.n));
  for (const reason of Object.values(ClosureReason)) add(`cr:${reason}`, 0);
  // Closed without a reason: not shown, but part of the closed total.
  for (const c of f.closure) add(`cr:${c.k ?? 'none'}`, N(c.n));
  for (const z of f.zrm) {
    add(`zrm:${z.v}`, N(z.n));
    for (const domain of ZRM_DOMAINS[z.v as keyof typeof ZRM_DOMAINS] ?? []) for (let s = 1; s <= 5; s++) add(`sc:${z.v}:${domain}:${s}`, 0);
  }
  for (const s of f.scores) add(`sc:${s.v}:${s.d}:${N(s.s)}`, N(s.n));
  const fb = (kind: FeedbackKind, statuses?: FeedbackStatus[]) =>
    f.feedback.filter((x) => x.k === kind && (!statuses || statuses.includes(x.s as FeedbackStatus))).reduce((a, x) => a + N(x.n), 0);
  add('fb:c', fb(FeedbackKind.COMPLAINT));
  add('fb:r', fb(FeedbackKind.COMPLAINT, [FeedbackStatus.RESOLVED]));
  add('fb:p', fb(FeedbackKind.COMPLAINT, [FeedbackStatus.OPEN, FeedbackStatus.ESCALATED]));
  add('fb:u', fb(FeedbackKind.COMPLAINT, [FeedbackStatus.UNFOUNDED]));
  add('fb:m', fb(FeedbackKind.COMPLIMENT));
  const care = (form?: string) => f.care.filter((x) => !form || x.f === form).reduce((a, x) => a + N(x.n), 0);
  add('care:i', care());
  add('care:pgb', care('PGB'));
  add('care:zin', care('ZIN'));
  const discussed = f.disc.reduce((a, d) => a + N(d.n), 0);
  const possible = f.disc.filter((d) => d.p).reduce((a, d) => a + N(d.n), 0);
  add('ic:disc', discussed);
  add('ic:pos', possible);
  // What averages and shares stand on, and their complements: a share times a shown total is
  // a count too (7 closed, 6/7 self-reliant: 1 not), and an average over 1–4 cases shows them.
  add('ic:neg', discussed - possible);
  const pgb = care('PGB');
  const provisional = f.care.filter((x) => x.f === 'PGB' && x.d === 'PROVISIONALLY_GRANTED').reduce((a, x) => a + N(x.n), 0);
  add('care:pgb:prov', provisional);
  add('care:pgb:rest', pgb - provisional);
  const sum = (pick: (c: ReportFigures['closure'][number]) => number) => f.closure.reduce((a, c) => a + pick(c), 0);
  const closed = sum((c) => N(c.n));
  const rated = sum((c) => N(c.rn));
  const selfReliant = sum((c) => N(c.sr));
  const answered = sum((c) => N(c.srn));
  add('rt:y', rated);
  add('rt:n', closed - rated);
  add('sr:y', selfReliant);
  add('sr:f', answered - selfReliant);
  add('sr:u', closed - answered);
  add('fc:n', N(f.contact.n));
  add('ic:match', N(f.matches));
  add('ic:amb', N(f.ambassadors));
  add('ic:vol', N(f.volunteers));
  return cells;
}

/**
 * Counts that are not sums over teams (a person can be an ambassador of two teams, and a
 * volunteer organisation serve several): no city constraint, only their own small-cell rule.
 */
const NOT_ADDITIVE = new Set(['ic:amb', 'ic:vol']);

/** The sums the analyst's answers show, over `cellsByTeam` (team id → its cells). */
export function reportConstraints(cellsByTeam: Map<string, Map<string, number>>): Constraint[] {
  const constraints: Constraint[] = [];
  const keys = new Set<string>();
  for (const cells of cellsByTeam.values()) for (const k of cells.keys()) keys.add(k);
  const teams = [...cellsByTeam.keys()];
  // The city figure of every additive count is shown: the teams' cells add up to it.
  for (const k of keys) if (!NOT_ADDITIVE.has(k)) constraints.push({ cells: teams.map((t) => `${t}|${k}`), total: null });
  // Within a team, categories add up to a total its answer shows.
  for (const [t, cells] of cellsByTeam) {
    const of = (prefix: string) => [...cells.keys()].filter((k) => k.startsWith(prefix)).map((k) => `${t}|${k}`);
    constraints.push({ cells: of('src:'), total: `${t}|st` });
    constraints.push({ cells: of('cr:'), total: `${t}|cl` });
    for (const k of cells.keys()) {
      if (!k.startsWith('zrm:')) continue;
      const version = k.slice(4);
      for (const domain of ZRM_DOMAINS[version as keyof typeof ZRM_DOMAINS] ?? []) {
        constraints.push({ cells: [1, 2, 3, 4, 5].map((s) => `${t}|sc:${version}:${domain}:${s}`), total: `${t}|${k}` });
      }
    }
    constraints.push({ cells: [`${t}|fb:r`, `${t}|fb:p`, `${t}|fb:u`], total: `${t}|fb:c` });
    constraints.push({ cells: [`${t}|care:pgb`, `${t}|care:zin`], total: `${t}|care:i` });
    constraints.push({ cells: [`${t}|care:pgb:prov`, `${t}|care:pgb:rest`], total: `${t}|care:pgb` });
    constraints.push({ cells: [`${t}|ic:pos`, `${t}|ic:neg`], total: `${t}|ic:disc` });
    constraints.push({ cells: [`${t}|rt:y`, `${t}|rt:n`], total: `${t}|cl` });
    constraints.push({ cells: [`${t}|sr:y`, `${t}|sr:f`, `${t}|sr:u`], total: `${t}|cl` });
    // Adjacent quarters: running(Q) = running(Q−1) − closed(Q−1) + started(Q), so with the
    // previous quarter's figures shown, running and started of this one give each other away;
    // with the next one's, running and closed do (exactly when no case closed before it
    // started). Each pair is a sum an answer "shows", so neither is hidden alone.
    constraints.push({ cells: [`${t}|st`, `${t}|ru:carried`], total: `${t}|ru` });
    constraints.push({ cells: [`${t}|cl`, `${t}|ru:open`], total: `${t}|ru` });
    constraints.push({ cells: [`${t}|ru`, `${t}|st`], total: null });
    constraints.push({ cells: [`${t}|ru`, `${t}|cl`], total: null });
  }
  return constraints;
}

/**
 * The cells to hide: every count from 1 to 4, and then, while some constraint has exactly one
 * unknown (one hidden cell, or only its total hidden), its smallest shown non-zero cell (a
 * zero one when there is none left): then every shown sum has at least two unknowns.
 */
export function protectedCells(values: Map<string, number>, constraints: Constraint[]): Set<string> {
  const hidden = new Set<string>();
  const value = (k: string) => values.get(k) ?? 0;
  // Each cell's constraints, and each constraint's unknowns, kept as cells get hidden: only the
  // constraints of a newly hidden cell need another look (a worklist, not passes over all).
  const of = new Map<string, number[]>();
  const member = (k: string, i: number) => {
    const list = of.get(k);
    if (list) list.push(i);
    else of.set(k, [i]);
  };
  constraints.forEach((c, i) => {
    for (const k of c.cells) member(k, i);
    if (c.total !== null) member(c.total, i);
  });
  const unknown = new Array<number>(constraints.length).fill(0);
  const queue: number[] = [];
  const hide = (k: string) => {
    if (hidden.has(k)) return;
    hidden.add(k);
    for (const i of of.get(k) ?? []) if (++unknown[i]! === 1) queue.push(i);
  };
  for (const [k, n] of values) if (isSuppressed(n, true)) hide(k);
  while (queue.length) {
    const i = queue.pop()!;
    if (unknown[i] !== 1) continue;
    const shown = constraints[i]!.cells.filter((k) => !hidden.has(k));
    if (!shown.length) continue;
    const nonZero = shown.filter((k) => value(k) > 0);
    hide((nonZero.length ? nonZero : shown).reduce((a, b) => (value(b) < value(a) || (value(b) === value(a) && b < a) ? b : a)));
  }
  return hidden;
}

/** The analyst's pattern for a quarter: which (team, cell) to hide, from every team's figures. */
export function analystPattern(figuresByTeam: Map<string, ReportFigures>): (teamId: string, key: string) => boolean {
  const cellsByTeam = new Map([...figuresByTeam].map(([t, f]) => [t, reportCells(f)]));
  const values = new Map<string, number>();
  for (const [t, cells] of cellsByTeam) for (const [k, n] of cells) values.set(`${t}|${k}`, n);
  const hidden = protectedCells(values, reportConstraints(cellsByTeam));
  return (teamId, key) => hidden.has(`${teamId}|${key}`);
}
