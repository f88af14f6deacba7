// The built-in dashboard (served at /dashboard): the quarterly report of the `quarterReport`
// query as tables. Plain JavaScript on purpose, so the same file runs in the browser and in the
// tests without a build step. It holds no data of its own: everything it shows comes from the
// GraphQL API with the user's token, under the same rules as any other client.

/** Who is signed in, and which teams a lead may choose from (analysts choose from all teams). */
export const ME_QUERY = `query DashboardMe {
  me { name role teams { id code name } }
}`;

export const TEAMS_QUERY = `query DashboardTeams {
  teams { id code name }
}`;

/** The contract's QuarterReport operation (../shared/contract/dashboard.graphql), unchanged. */
export const QUARTER_REPORT_QUERY = `query QuarterReport($period: String!, $teamId: ID) {
  quarterReport(period: $period, teamId: $teamId) {
    period
    suppressed
    caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
    perTeam { team { code name } started running closed }
    referralSources { source count share }
    selfReferralShare
    closureReasons { reason count share }
    zrm { version assessments domains { domain distribution { score count share } } }
    averageDaysToFirstContact
    averageClientRating
    selfReliantAfterClosureShare
    feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
    careAllocations { investigations pgb zin pgbProvisionallyGrantedShare }
    informalCare { ambassadors casesDiscussed informalCarePossible possibleShare activeVolunteers activeMatches }
  }
}`;

/** The roles the report answers for. */
export const REPORT_ROLES = ['TEAM_LEAD', 'ANALYST'];

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML (element content and quoted attributes). Everything the API sends goes through it. */
export function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The last complete calendar quarter before `date`, as YYYY-Qn. */
export function previousQuarter(date = new Date()) {
  const quarter = Math.floor(date.getMonth() / 3); // 0-based: the current quarter
  return quarter === 0 ? `${date.getFullYear() - 1}-Q4` : `${date.getFullYear()}-Q${quarter}`;
}

/** A figure the API left null: hidden (a small count, or built on one) or nothing to compute from. */
const MISSING = '–';

export function count(value) {
  return value === null || value === undefined ? MISSING : Number(value).toLocaleString('en-GB');
}

export function percent(share) {
  return share === null || share === undefined ? MISSING : `${(Number(share) * 100).toFixed(1)} %`;
}

export function decimal(value, digits = 1) {
  return value === null || value === undefined ? MISSING : Number(value).toFixed(digits);
}

/** GP_REFERRAL → "GP referral"; enum values as words. */
export function label(enumValue) {
  const text = String(enumValue).toLowerCase().split('_').join(' ').replace(/\b(gp|zrm|pgb|zin|wmo)\b/g, (w) => w.toUpperCase());
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function table(head, rows) {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function section(title, content) {
  return `<section><h2>${esc(title)}</h2>${content}</section>`;
}

/**
 * The report as HTML. `scopeLabel` names what it covers ("City of Utrecht", a team's name).
 * Every value is escaped: team names and enum values come from the API.
 */
export function renderReport(report, scopeLabel) {
  const r = report;
  const parts = [];
  parts.push(`<h2>${esc(r.period)} · ${esc(scopeLabel)}</h2>`);
  if (r.suppressed) {
    parts.push(`<p class="note">Some counts are hidden (${esc(MISSING)}): a count of 1 to 4 below city level is not shown, nor a share or average built on one.</p>`);
  }
  const c = r.caseCounts;
  const running = [
    ['Registered, not yet started', count(c.withoutStartDate)],
    ['Started in the quarter', count(c.startedInPeriod)],
    ['Running in the quarter', count(c.runningInPeriod)],
    ['Closed in the quarter', count(c.closedInPeriod)],
  ];
  const speed = [
    ['Days from registration to first contact', decimal(r.averageDaysToFirstContact)],
    ['Client rating at closure', decimal(r.averageClientRating)],
    ['Self-reliant after closure', percent(r.selfReliantAfterClosureShare)],
    ['Self-referrals', percent(r.selfReferralShare)],
  ];
  parts.push(`<div class="grid">${section('Cases', table(['', 'Cases'], running))}${section('Averages', table(['', 'Value'], speed))}</div>`);

  if (r.perTeam.length) {
    parts.push(
      section(
        'Per team',
        table(['Team', 'Started', 'Running', 'Closed'], r.perTeam.map((t) => [t.team.name, count(t.started), count(t.running), count(t.closed)])),
      ),
    );
  }
  const sources = table(['Source', 'Cases', 'Share'], r.referralSources.map((s) => [label(s.source), count(s.count), percent(s.share)]));
  const closures = table(['Reason', 'Cases', 'Share'], r.closureReasons.map((s) => [label(s.reason), count(s.count), percent(s.share)]));
  parts.push(`<div class="grid">${section('How cases came in', sources)}${section('Why cases closed', closures)}</div>`);

  for (const version of r.zrm) {
    const scores = [...new Set(version.domains.flatMap((d) => d.distribution.map((x) => x.score)))].sort((a, b) => a - b);
    const rows = version.domains.map((d) => [
      label(d.domain),
      ...scores.map((score) => {
        const cell = d.distribution.find((x) => x.score === score);
        return cell ? `${count(cell.count)} (${percent(cell.share)})` : MISSING;
      }),
    ]);
    parts.push(
      section(
        `Self-reliance (${label(version.version)}): ${count(version.assessments)} assessments`,
        table(['Domain', ...scores.map((s) => `Score ${s}`)], rows),
      ),
    );
  }

  const f = r.feedback;
  const feedback = table(['', 'Count'], [
    ['Complaints', count(f.complaints)],
    ['Resolved', count(f.resolvedComplaints)],
    ['Pending', count(f.pendingComplaints)],
    ['Unfounded', count(f.unfoundedComplaints)],
    ['Compliments', count(f.compliments)],
  ]);
  const a = r.careAllocations;
  const allocations = table(['', 'Count'], [
    ['Investigations', count(a.investigations)],
    ['Personal budget (PGB)', count(a.pgb)],
    ['In kind (ZIN)', count(a.zin)],
    ['PGB provisionally granted', percent(a.pgbProvisionallyGrantedShare)],
  ]);
  const i = r.informalCare;
  const informal = table(['', 'Count'], [
    ['Ambassadors', count(i.ambassadors)],
    ['Cases discussed', count(i.casesDiscussed)],
    ['Informal care possible', count(i.informalCarePossible)],
    ['Possible share', percent(i.possibleShare)],
    ['Active volunteers', count(i.activeVolunteers)],
    ['Active matches', count(i.activeMatches)],
  ]);
  parts.push(`<div class="grid">${section('Feedback', feedback)}${section('Care allocations', allocations)}${section('Informal care', informal)}</div>`);
  return parts.join('\n');
}

/** One GraphQL request with the token; resolves to { data, errors } or throws on a network failure. */
export async function graphql(token, query, variables = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`The hub answered ${res.status} without a GraphQL response.`);
  }
  return body;
}

/** The first error's message, for the status line. */
function firstError(body) {
  const e = body.errors?.[0];
  return e ? `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}` : null;
}

const TOKEN_KEY = 'voordeur.dashboard.token';

/** Wires up the page (browser only). */
function start() {
  const $ = (id) => document.getElementById(id);
  const status = (text, error = false) => {
    $('status').textContent = text;
    $('status').className = error ? 'error' : '';
  };
  let token = null;
  let scopeNames = new Map();

  async function signIn(candidate) {
    status('Signing in…');
    const body = await graphql(candidate, ME_QUERY);
    const error = firstError(body);
    if (error) {
      sessionStorage.removeItem(TOKEN_KEY);
      return status(error, true);
    }
    const me = body.data.me;
    if (!REPORT_ROLES.includes(me.role)) {
      return status(`Signed in as ${me.name} (${label(me.role)}): the quarterly report is for team leads and analysts.`, true);
    }
    let teams = me.teams;
    let all = 'All my teams';
    if (me.role === 'ANALYST') {
      const list = await graphql(candidate, TEAMS_QUERY);
      if (firstError(list)) return status(firstError(list), true);
      teams = list.data.teams;
      all = 'City-wide';
    }
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, candidate);
    scopeNames = new Map([['', all], ...teams.map((t) => [t.id, t.name])]);
    const select = $('team');
    select.replaceChildren(
      ...[...scopeNames].map(([id, name]) => {
        const option = document.createElement('option');
        option.value = id;
        option.textContent = name;
        return option;
      }),
    );
    $('who').textContent = `Signed in as ${me.name} (${label(me.role)}).`;
    if (!$('period').value) $('period').value = previousQuarter();
    $('sign-in').hidden = true;
    $('ask').hidden = false;
    status('');
  }

  function signOut() {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('report').replaceChildren();
    $('ask').hidden = true;
    $('sign-in').hidden = false;
    $('token').value = '';
    status('Signed out.');
  }

  async function show() {
    const period = $('period').value.trim();
    const teamId = $('team').value || null;
    status('Loading…');
    const body = await graphql(token, QUARTER_REPORT_QUERY, { period, teamId });
    const error = firstError(body);
    if (error) {
      $('report').replaceChildren();
      return status(error, true);
    }
    $('report').innerHTML = renderReport(body.data.quarterReport, scopeNames.get(teamId ?? '') ?? '');
    status('');
  }

  const guard = (fn) => (event) => {
    event.preventDefault();
    fn().catch((e) => status(e.message, true));
  };
  $('sign-in').addEventListener('submit', guard(() => signIn($('token').value.trim())));
  $('ask').addEventListener('submit', guard(show));
  $('sign-out').addEventListener('click', signOut);
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) signIn(kept).catch((e) => status(e.message, true));
}

if (typeof document !== 'undefined') start();
