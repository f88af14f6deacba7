/**
 * The built-in dashboard (/dashboard): its files are served with a strict content security
 * policy and nothing else is; its queries are valid (the report's is the contract's own); and
 * what it renders from the API's real answers shows the figures, hides nothing the API sent as
 * a figure, marks suppressed cells and escapes every text the API returns.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, Kind, parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildStaff, buildTeam } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { CaseStatus, Role } from '../../src/modules/common/enums.js';
import { DASHBOARD_CSP } from '../../src/dashboard/serve.js';
import {
  ME_QUERY,
  QUARTER_REPORT_QUERY,
  REPORT_ROLES,
  TEAMS_QUERY,
  count,
  esc,
  label,
  percent,
  previousQuarter,
  renderReport,
} from '../../src/dashboard/dashboard.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

const NASTY_NAME = `Buurtteam <b onmouseover="x">&'q'</b>`;

let hub: TestHub;
let base: string;
let lead: Staff;
let worker: Staff;
let analyst: Staff;
let teamA: Team;
let teamB: Team;

beforeAll(async () => {
  hub = await startTestHub();
  base = hub.url.replace(/\/graphql$/, '');
  const em = hub.em();
  const rng = new Rng(7);
  teamA = buildTeam(em, { name: NASTY_NAME, postcodes: ['3921'] });
  teamB = buildTeam(em, { postcodes: ['3922'] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA], rng });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA], rng });
  analyst = buildStaff(em, { role: Role.ANALYST, rng });
  // 2015-Q2: six cases started in team A, two in team B (a small cell for the analyst).
  const add = (team: Team, n: number) => {
    for (let i = 0; i < n; i++) {
      const { household } = buildHousehold(em, { team, members: 1, rng });
      buildCase(em, {
        household,
        status: CaseStatus.ACTIVE,
        registeredAt: new Date(Date.UTC(2015, 3, 1 + i, 9)),
        firstContactAt: new Date(Date.UTC(2015, 3, 3 + i, 9)),
        startedAt: new Date(Date.UTC(2015, 3, 10 + i, 9)),
        coordinator: null,
        rng,
      });
    }
  };
  add(teamA, 6);
  add(teamB, 2);
  await em.flush();
});

afterAll(async () => {
  await hub?.stop();
});

describe('the dashboard files', () => {
  it('serves the page with a strict content security policy, and the script and style it names', async () => {
    const page = await fetch(`${base}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    // No inline script or style: the policy would block it anyway, so it must not be needed.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style/);

    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['/dashboard/dashboard.css', '/dashboard/dashboard.js']);
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
    for (const asset of assets) {
      const res = await fetch(`${base}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(types[asset.split('.').pop()!]);
      const file = asset.replace('/dashboard/', '');
      expect(await res.text()).toBe(readFileSync(new URL(`../../src/dashboard/${file}`, import.meta.url), 'utf8'));
    }
    expect((await fetch(`${base}/dashboard/`)).status).toBe(200);
  });

  it('answers HEAD without a body, refuses other methods and serves nothing else under /dashboard', async () => {
    const head = await fetch(`${base}/dashboard`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const post = await fetch(`${base}/dashboard`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');

    for (const path of ['/dashboard/dashboard.d.ts', '/dashboard/serve.ts', '/dashboard/serve.js', '/dashboard/index.html', '/dashboard/x']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    // The URL is normalised before routing: a way out of /dashboard is just another path.
    const out = await fetch(`${base}/dashboard/%2e%2e/package.json`);
    expect(out.status).toBe(404);
    expect(await out.text()).not.toContain('"dependencies"');
  });
});

describe("the dashboard's queries", () => {
  it('validate against the schema, and the report query is the contract operation itself', () => {
    const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    for (const query of [ME_QUERY, TEAMS_QUERY, QUARTER_REPORT_QUERY]) expect(validate(schema, parse(query))).toEqual([]);

    const contract = parse(readFileSync(new URL('../../../shared/contract/dashboard.graphql', import.meta.url), 'utf8'));
    const op = contract.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'QuarterReport');
    expect(op).toBeDefined();
    expect(print(parse(QUARTER_REPORT_QUERY))).toBe(print({ kind: Kind.DOCUMENT, definitions: [op!] }));
  });

  it('offers the report to exactly the roles the API answers it for', async () => {
    expect([...REPORT_ROLES].sort()).toEqual([Role.ANALYST, Role.TEAM_LEAD].sort());
    const denied = await hub.gql(QUARTER_REPORT_QUERY, { period: '2015-Q2' }, await hub.tokenFor(worker));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const me = await hub.gql(ME_QUERY, {}, await hub.tokenFor(worker));
    expect(REPORT_ROLES).not.toContain(me.data!.me.role);
  });
});

describe('what the dashboard renders from the API', () => {
  it("shows a lead's report: every figure the API sent, the team's name escaped", async () => {
    const token = await hub.tokenFor(lead);
    const me = await hub.gql(ME_QUERY, {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.role).toBe(Role.TEAM_LEAD);
    expect(me.data!.me.teams.map((t: { id: string }) => t.id)).toEqual([teamA.id]);

    const res = await hub.gql(QUARTER_REPORT_QUERY, { period: '2015-Q2', teamId: teamA.id }, token);
    expect(res.errors).toBeUndefined();
    const report = res.data!.quarterReport;
    expect(report.caseCounts.startedInPeriod).toBe(6);
    const html = renderReport(report, me.data!.me.teams[0].name);

    expect(html).toContain(`<h2>2015-Q2 · ${esc(NASTY_NAME)}</h2>`);
    expect(html).not.toContain('<b onmouseover');
    const row = (name: string, value: string) => `<tr><th scope="row">${name}</th><td>${value}</td></tr>`;
    expect(html).toContain(row('Started in the quarter', '6'));
    expect(html).toContain(row('Running in the quarter', count(report.caseCounts.runningInPeriod)));
    expect(html).toContain(row('Registered, not yet started', count(report.caseCounts.withoutStartDate)));
    expect(html).toContain(row('Days from registration to first contact', report.averageDaysToFirstContact.toFixed(1)));
    for (const s of report.referralSources) {
      expect(html).toContain(`<tr><th scope="row">${esc(label(s.source))}</th><td>${count(s.count)}</td><td>${esc(percent(s.share))}</td></tr>`);
    }
    expect(report.suppressed).toBe(false);
    expect(html).not.toContain('Some counts are hidden');
  });

  it("shows an analyst's city-wide report with the small team's cells hidden and said so", async () => {
    const token = await hub.tokenFor(analyst);
    const teams = await hub.gql(TEAMS_QUERY, {}, token);
    expect(teams.errors).toBeUndefined();
    expect(teams.data!.teams.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([teamA.id, teamB.id]));

    const res = await hub.gql(QUARTER_REPORT_QUERY, { period: '2015-Q2' }, token);
    expect(res.errors).toBeUndefined();
    const report = res.data!.quarterReport;
    expect(report.suppressed).toBe(true);
    const html = renderReport(report, 'City-wide');

    expect(html).toContain('Some counts are hidden');
    // Team B's 2 started cases are hidden, and so are team A's 6: the city's 8 minus 6 would give them back.
    const small = report.perTeam.find((t: { team: { code: string } }) => t.team.code === teamB.code);
    expect(small.started).toBeNull();
    expect(html).toContain(`<tr><th scope="row">${esc(teamB.name)}</th><td>–</td>`);
    expect(html).toContain(`<tr><th scope="row">${esc(NASTY_NAME)}</th><td>–</td>`);
    // City level is not suppressed: both teams' cases.
    expect(html).toContain(`<tr><th scope="row">Started in the quarter</th><td>8</td></tr>`);
    expect(html).not.toContain('<b onmouseover');
  });
});

describe('formatting', () => {
  it('escapes the five HTML characters and formats figures, with – for what the API left out', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(count(null)).toBe('–');
    expect(count(1234)).toBe('1,234');
    expect(percent(0.1234)).toBe('12.3 %');
    expect(percent(null)).toBe('–');
    expect(label('GP_REFERRAL')).toBe('GP referral');
    expect(label('SELF')).toBe('Self');
  });

  it('proposes the last complete quarter', () => {
    expect(previousQuarter(new Date(2026, 11, 1))).toBe('2026-Q3');
    expect(previousQuarter(new Date(2026, 3, 1))).toBe('2026-Q1');
    expect(previousQuarter(new Date(2026, 0, 15))).toBe('2025-Q4');
  });
});
