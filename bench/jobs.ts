/**
 * `npm run bench:jobs [-- --signals 2000 --messages 5000 --lag 30]`: throughput of the import
 * path (arrears signals from the corporation simulator over HTTP to referral rows), of the
 * outbox relay (outbox rows to BullMQ jobs), and the lag from a status change (outbox row
 * committed) to the partner simulator receiving the push, through relay, Redis and worker.
 *
 * Uses a throw-away database on DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432)
 * and REDIS_URL (default redis://127.0.0.1:6379) under its own BullMQ prefix; both are removed
 * at the end.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import { initOrm, migrate } from '../src/db/database.js';
import { logger } from '../src/logger.js';
import { OrganisationKind, ReferralStatus } from '../src/modules/common/enums.js';
import { Referral } from '../src/modules/referral/referral.entity.js';
import { writeOutbox } from '../src/jobs/outbox.js';
import { pollPartner } from '../src/jobs/sync.js';
import { OutboxRelay } from '../src/jobs/relay.js';
import { JobQueues } from '../src/jobs/queues.js';
import { startJobs } from '../src/jobs/runtime.js';
import { CorporationClient } from '../integrations/corporation/client.js';
import { CorporationSimulator } from '../integrations/corporation/simulator.js';
import { HuisartsSimulator } from '../integrations/huisarts/simulator.js';
import { buildHousehold, buildOrganisation, buildReferral, buildTeam } from '../seeds/factories.js';

const { values: args } = parseArgs({
  options: { signals: { type: 'string', default: '2000' }, messages: { type: 'string', default: '5000' }, lag: { type: 'string', default: '30' } },
});
const SIGNALS = Number(args.signals);
const MESSAGES = Number(args.messages);
const LAG_SAMPLES = Number(args.lag);

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `voordeur_bench_jobs_${randomBytes(4).toString('hex')}`;
const prefix = `bench-${randomBytes(4).toString('hex')}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database "${dbName}"`);
const u = new URL(adminUrl);
u.pathname = `/${dbName}`;
const config = parseConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: u.toString(),
  REDIS_URL: redisUrl,
  BULLMQ_PREFIX: prefix,
  POLL_PAGE_SIZE: '200',
  POLL_MAX_PAGES: '10000',
  HUISARTS_POLL_INTERVAL_MS: '3600000',
  CORPORATION_POLL_INTERVAL_MS: '3600000',
});
logger.level = 'silent';
const orm = await initOrm(u.toString(), 10);
orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
await migrate(orm);
const results: Record<string, string> = {};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

try {
  const em = orm.em.fork();
  const team = buildTeam(em, { postcodes: ['3562'] });
  const corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION, code: 'corp-bench' });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-bench' });
  await em.flush();

  // 1. Import: simulator → HTTP pages → validate → match → referral + audit + outbox rows.
  const corporation = new CorporationSimulator();
  const corpUrl = await corporation.start();
  for (let i = 0; i < SIGNALS; i++) corporation.addSignal({ corporation: corp.code, postcode: `3562${'AB'}` });
  const t0 = performance.now();
  const r = await pollPartner(
    { orm, config, log: logger, huisarts: null, corporation: new CorporationClient(corpUrl, { timeoutMs: 30_000 }) },
    'corporation',
    'bench',
  );
  const importS = (performance.now() - t0) / 1000;
  const rows = await orm.em.fork().count(Referral, { from: corp.id });
  results.import = `${SIGNALS} signals → ${rows} referrals (${r.pages} pages of 200) in ${importS.toFixed(2)} s = ${(rows / importS).toFixed(0)} signals/s`;
  await corporation.stop();
  await orm.em.fork().execute(`update outbox set published_at = now()`); // not part of the relay measurement

  // 2. Relay: outbox rows → BullMQ jobs (internal queue), batches of RELAY_BATCH_SIZE.
  await orm.em.fork().transactional(async (tem) => {
    for (let i = 0; i < MESSAGES; i++) writeOutbox(tem, 'bench.noop', { n: i });
  });
  const queues = new JobQueues(config);
  const relay = new OutboxRelay({ orm, queues, config, log: logger });
  const t1 = performance.now();
  let published = 0;
  for (;;) {
    const n = await relay.relayOnce();
    if (n === 0) break;
    published += n;
  }
  const relayS = (performance.now() - t1) / 1000;
  results.relay = `${published} messages in ${relayS.toFixed(2)} s = ${(published / relayS).toFixed(0)} messages/s (batch ${config.RELAY_BATCH_SIZE}, one relay)`;
  await queues.get('internal').obliterate({ force: true });
  await queues.close();

  // 3. Lag: status change committed → Task PUT received by the GP simulator (relay + Redis + worker).
  const huisarts = new HuisartsSimulator();
  const hUrl = await huisarts.start();
  const refs: Referral[] = [];
  const em2 = orm.em.fork();
  for (let i = 0; i < LAG_SAMPLES; i++) {
    const { head, household } = buildHousehold(em2, { team, members: 1 });
    refs.push(buildReferral(em2, { from: gp, resident: head, household, status: ReferralStatus.RECEIVED }));
  }
  await em2.flush();
  const jobs = await startJobs({ orm, config, log: logger, huisartsUrl: hUrl, corporationUrl: null, schedulers: false });
  const lags: number[] = [];
  for (const ref of refs) {
    const start = Date.now();
    await orm.em.fork().transactional(async (tem) => {
      await tem.nativeUpdate(Referral, { id: ref.id }, { status: ReferralStatus.TRIAGED });
      writeOutbox(tem, 'referral.status-changed', { referralId: ref.id });
    });
    while (huisarts.effectsFor(`/Task/${ref.id}`).length === 0) await new Promise((res) => setTimeout(res, 2));
    lags.push(huisarts.effectsFor(`/Task/${ref.id}`)[0]!.at.getTime() - start);
  }
  results.lag = `${LAG_SAMPLES} status changes: p50 ${pct(lags, 50)} ms, p95 ${pct(lags, 95)} ms, max ${Math.max(...lags)} ms (RELAY_INTERVAL_MS ${config.RELAY_INTERVAL_MS})`;
  await jobs.stop(2000);
  await huisarts.stop();
} finally {
  await orm.close(true);
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(7)} ${v}`);
process.exit(0);
