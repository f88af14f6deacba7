/**
 * Small builders for demo data and tests. Every builder takes the EntityManager and
 * overrides, fills the rest with coherent, realistic values, calls `em.create` (which
 * persists in MikroORM 6) and never flushes: the caller flushes, once, in batches.
 *
 * Randomness comes from a seeded generator (`rng` option); without one a module-wide
 * generator is used, which is deterministic per process but shared between tests.
 * Values that must be unique across test files (team codes, organisation codes, staff
 * emails) get a random UUID suffix by default, so tests can share one database.
 */
import { randomUUID } from 'node:crypto';
import type { EntityData, EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/core';
import { parseConfig } from '../src/config.js';
import {
  CareDecision,
  CareForm,
  CaseStatus,
  CheckInGoing,
  ClosureReason,
  ConsentPurpose,
  ContactKind,
  DayPart,
  FeedbackKind,
  FeedbackStatus,
  GoalStatus,
  HouseholdRelation,
  InformalCareRequestStatus,
  MatchStatus,
  OrganisationKind,
  ReferralKind,
  ReferralSource,
  ReferralStatus,
  Role,
  TeamKind,
  Urgency,
  Weekday,
  WorkerChangeStatus,
  ZrmDomain,
  ZrmKind,
  ZrmVersion,
} from '../src/modules/common/enums.js';
import { Team } from '../src/modules/team/team.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';
import { Staff } from '../src/modules/staff/staff.entity.js';
import { Household } from '../src/modules/household/household.entity.js';
import { Resident } from '../src/modules/household/resident.entity.js';
import { Case } from '../src/modules/case/case.entity.js';
import { Goal } from '../src/modules/case/goal.entity.js';
import { CaseNote } from '../src/modules/case/case-note.entity.js';
import { ZrmAssessment, type ZrmScore } from '../src/modules/case/zrm-assessment.entity.js';
import { CareAllocation } from '../src/modules/case/care-allocation.entity.js';
import { Consent } from '../src/modules/consent/consent.entity.js';
import { Feedback } from '../src/modules/feedback/feedback.entity.js';
import { WorkerChangeRequest } from '../src/modules/feedback/worker-change-request.entity.js';
import { ContactAttempt, Referral, type PartnerSystem } from '../src/modules/referral/referral.entity.js';
import { FlexAssignment } from '../src/modules/flex/flex-assignment.entity.js';
import { type AvailabilitySlot, Volunteer } from '../src/modules/informal-care/volunteer.entity.js';
import { CaseDiscussion, InformalCareRequest, MatchCheckIn, VolunteerMatch } from '../src/modules/informal-care/informal-care.entity.js';
import { LANGUAGES, SKILLS, TASK_BY_NEED, type Skill } from '../src/modules/informal-care/vocabulary.js';
import { encryptBsn, hashBsn, makeBsn } from '../src/modules/household/bsn.js';
import { addDays, daysBetween, DAY_MS, Rng, toDateString } from './random.js';

// ---------------------------------------------------------------------------------------
// Shared options and helpers
// ---------------------------------------------------------------------------------------

export interface FactoryOptions {
  /** Seeded generator; the seed passes its own so the data set is reproducible. */
  rng?: Rng;
  /** "Now" for relative dates; every generated date lies before it. Default: the current time. */
  now?: Date;
}

const defaultRng = new Rng('voordeur-factories');

let cachedDevBsnKey: string | undefined;
/** The development BSN key (what the app uses when BSN_KEY is unset). */
export function defaultBsnKey(): string {
  cachedDevBsnKey ??= parseConfig({}).BSN_KEY;
  return cachedDevBsnKey;
}

function rngOf(o: FactoryOptions): Rng {
  return o.rng ?? defaultRng;
}

function nowOf(o: FactoryOptions): Date {
  return o.now ?? new Date();
}

/** `override` when given (null included), otherwise the computed default. */
function pick<T>(override: T | undefined, fallback: () => T): T {
  return override !== undefined ? override : fallback();
}

function make<T extends object>(em: EntityManager, entity: EntityName<T>, data: EntityData<T>): T {
  return em.create(entity, data as RequiredEntityData<T>);
}

function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A Dutch mobile number, `06-12345678`. */
export function mobilePhone(rng: Rng = defaultRng): string {
  return `06-${rng.int(1, 6)}${rng.digits(7)}`;
}

/** Letters Dutch postcodes use (F, I, O, Q, U and Y are not issued). */
const POSTCODE_LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';

/** A postcode `1234AB` in the given four-digit area; letter pairs not used in the Netherlands are avoided. */
export function postcodeIn(area: string, rng: Rng = defaultRng): string {
  for (;;) {
    const letters = rng.chars(2, POSTCODE_LETTERS);
    if (!['SA', 'SD', 'SS'].includes(letters)) return `${area}${letters}`;
  }
}

// ---------------------------------------------------------------------------------------
// Reference vocabulary (realistic Dutch demo data)
// ---------------------------------------------------------------------------------------

/**
 * Cultural background of generated names and languages. Households are drawn from the
 * first three; volunteers from all of them. Languages are English names (LANGUAGES).
 */
export type Background = 'dutch' | 'moroccan' | 'turkish' | 'polish' | 'antillean' | 'somali';

export const NAMES: Record<Background, { male: readonly string[]; female: readonly string[]; family: readonly string[]; languages: readonly string[][] }> = {
  dutch: {
    male: ['Jan', 'Pieter', 'Kees', 'Henk', 'Willem', 'Gerrit', 'Sander', 'Thijs', 'Bas', 'Ruud', 'Mark', 'Joost', 'Daan', 'Sem', 'Lucas', 'Bram', 'Jeroen', 'Wim', 'Martijn', 'Niels'],
    female: ['Anna', 'Marieke', 'Sanne', 'Lotte', 'Ingrid', 'Els', 'Joke', 'Annemarie', 'Fleur', 'Eva', 'Ilse', 'Femke', 'Noor', 'Tess', 'Mila', 'Wilma', 'Gerda', 'Linda', 'Esther', 'Sophie'],
    family: ['de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'van Dijk', 'Verhoeven', 'Kok', 'Schouten', 'van der Linden', 'Willemsen'],
    languages: [['Dutch'], ['Dutch'], ['Dutch'], ['Dutch', 'English']],
  },
  moroccan: {
    male: ['Mohamed', 'Ahmed', 'Youssef', 'Said', 'Mustafa', 'Karim', 'Hamza', 'Bilal', 'Ayoub', 'Rachid', 'Soufiane', 'Abdelkader', 'Mounir', 'Ilias'],
    female: ['Fatima', 'Khadija', 'Naima', 'Samira', 'Hanane', 'Malika', 'Nora', 'Yasmina', 'Imane', 'Salma', 'Latifa', 'Meryem', 'Hafsa', 'Zineb'],
    family: ['El Amrani', 'Bouzid', 'Benali', 'El Idrissi', 'Ouali', 'Haddou', 'Azzouzi', 'El Khattabi', 'Boukhari', 'Ait Taleb', 'Ziani', 'Chaouch', 'El Hamdaoui', 'Bakkali'],
    languages: [['Dutch', 'Arabic'], ['Arabic', 'Tamazight'], ['Dutch', 'Tamazight'], ['Arabic'], ['Dutch', 'Arabic', 'French']],
  },
  turkish: {
    male: ['Mehmet', 'Mustafa', 'Ahmet', 'Hüseyin', 'Emre', 'Burak', 'Yusuf', 'Kemal', 'Murat', 'Onur', 'Hakan', 'Serkan', 'Osman'],
    female: ['Ayşe', 'Fatma', 'Elif', 'Zeynep', 'Emine', 'Hatice', 'Esra', 'Merve', 'Derya', 'Selin', 'Sibel', 'Gül', 'Büşra'],
    family: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Aydın', 'Öztürk', 'Arslan', 'Doğan', 'Koç', 'Kurt', 'Özdemir', 'Polat'],
    languages: [['Dutch', 'Turkish'], ['Turkish'], ['Turkish', 'Dutch'], ['Turkish', 'English']],
  },
  polish: {
    male: ['Piotr', 'Tomasz', 'Krzysztof', 'Paweł', 'Marek', 'Michał', 'Łukasz', 'Jakub', 'Andrzej', 'Grzegorz'],
    female: ['Anna', 'Katarzyna', 'Magdalena', 'Agnieszka', 'Joanna', 'Monika', 'Ewa', 'Marta', 'Aleksandra', 'Dorota'],
    family: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Dąbrowski', 'Mazur'],
    languages: [['Polish', 'Dutch'], ['Polish', 'English'], ['Polish', 'Dutch', 'English']],
  },
  antillean: {
    male: ['Ryan', 'Giovanni', 'Jurgen', 'Shurandy', 'Rignald', 'Dwayne', 'Edsel', 'Ruthmar'],
    female: ['Shanaira', 'Jeanine', 'Xiomara', 'Sharon', 'Ashanti', 'Rachelle', 'Jozaira', 'Naomi'],
    family: ['Martina', 'Isenia', 'Statia', 'Rosaria', 'Francisca', 'Wawoe', 'Cijntje', 'Maduro', 'Römer', 'Piar'],
    languages: [['Papiamento', 'Dutch'], ['Papiamento', 'Dutch', 'Spanish'], ['Dutch', 'Papiamento', 'English']],
  },
  somali: {
    male: ['Abdirahman', 'Abdullahi', 'Mohamud', 'Hassan', 'Liban', 'Abdi', 'Farah', 'Yusuf'],
    female: ['Hodan', 'Sahra', 'Ayaan', 'Fadumo', 'Hibo', 'Nasra', 'Amina', 'Ifrah'],
    family: ['Warsame', 'Mohamed', 'Abdi', 'Hussein', 'Osman', 'Jama', 'Ahmed', 'Farah', 'Ali', 'Nur'],
    languages: [['Somali', 'Dutch'], ['Somali', 'Dutch', 'English'], ['Somali', 'Arabic', 'Dutch']],
  },
};

/** Given and family names of staff: Dutch with the mix of a city team. */
const STAFF_GIVEN = [
  'Marieke', 'Sanne', 'Joost', 'Anouk', 'Femke', 'Ruben', 'Lieke', 'Bart', 'Esther', 'Maarten', 'Inge', 'Wouter', 'Karin', 'Jeroen',
  'Nadia', 'Hatice', 'Yassine', 'Samira', 'Tim', 'Mirjam', 'Koen', 'Eline', 'Rik', 'Hanneke', 'Dennis', 'Marloes', 'Sven', 'Judith',
  'Fatima', 'Emre', 'Loes', 'Thomas', 'Ilse', 'Wendy', 'Arjen', 'Petra', 'Gijs', 'Mariska', 'Niels', 'Yvonne',
] as const;
const STAFF_FAMILY = [
  'de Vries', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Jong', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters',
  'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Koster', 'Verbeek', 'Prins', 'van der Meer', 'Kuipers',
  'Bouzid', 'Yilmaz', 'El Amrani', 'Kaya', 'Postma', 'Hoekstra', 'Willems', 'van Vliet', 'Schipper', 'Scholten', 'Vermeulen',
] as const;

export function staffName(rng: Rng = defaultRng): string {
  return `${rng.pick(STAFF_GIVEN)} ${rng.pick(STAFF_FAMILY)}`;
}

/** Streets of Utrecht per district, so an address matches its team's postcode area. */
export const STREETS_BY_DISTRICT: Record<string, readonly string[]> = {
  Overvecht: ['Zambesidreef', 'Tigrisdreef', 'Gangesdreef', 'Amazonedreef', 'Donaudreef', 'Nijldreef', 'Moezeldreef', 'Wolgadreef', 'Vechtdreef', 'Bostondreef', 'Zamenhofdreef'],
  Noordwest: ['Amsterdamsestraatweg', 'Ondiep-Zuidzijde', 'Cartesiusweg', 'Marnixlaan', 'Julianaweg', 'Eykmanlaan', 'Prinses Margrietstraat', 'Boerhaavelaan', 'Bloemstraat', 'Pijlsweerdstraat', 'Elisabethstraat', 'Queekhoven'],
  West: ['Kanaalstraat', 'Damstraat', 'Vleutenseweg', 'Laan van Nieuw-Guinea', 'Cornelis Evertsenstraat', 'Jan Pieterszoon Coenstraat', 'Bankastraat', 'Abel Tasmanstraat', 'Billitonkade', 'Merelstraat'],
  Zuidwest: ['Marshalllaan', 'Churchilllaan', 'Rooseveltlaan', 'Bernadottelaan', 'Trumanlaan', 'Columbuslaan', 'Balijelaan', 'Jutfaseweg', 'Rijnlaan', 'Maasstraat', 'Vondellaan', 'Hooch Boulandtlaan'],
  Zuid: ['Hooft Graaflandstraat', 'Duurstedelaan', 'Van Bijnkershoeklaan', 'Kosterijland', 'Zevenwouden', 'Hondsrug', 'Waalstraat', 'Linnaeuslaan', 'Hoograven', 'Winklerlaan'],
  Binnenstad: ['Oudegracht', 'Nieuwegracht', 'Lange Nieuwstraat', 'Wittevrouwenstraat', 'Voorstraat', 'Springweg', 'Lijnmarkt', 'Twijnstraat', 'Lange Smeestraat', 'Breedstraat'],
  Oost: ['Biltstraat', 'Nachtegaalstraat', 'Burgemeester Reigerstraat', 'Prins Hendriklaan', 'Oosterstraat', 'Rubenslaan', 'Waterlinieweg', 'Kromme Nieuwegracht', 'Adriaen van Ostadelaan', 'Wilhelminapark'],
  Noordoost: ['Kardinaal de Jongweg', 'Blauwkapelseweg', 'Adelaarstraat', 'Votulast', 'Zonstraat', 'Kleiweg', 'Schaakstraat', 'Lauwerecht', 'Tolsteegsingel', 'Van Humboldtstraat'],
  'Leidsche Rijn': ['Grauwaartsingel', 'Parkzichtlaan', 'Den Hommel', 'Berlijnplein', 'Langerakbaan', 'Louis Armstronglaan', 'Duke Ellingtonstraat', 'Terwijdelaan', 'Ella Fitzgeraldplein', 'Veldhuizerweg'],
  'Vleuten-De Meern': ['Rijksstraatweg', 'Meerndijk', 'Zandweg', 'Hindersteinlaan', 'Dorpsstraat', 'Mereveldseweg', 'Burgemeester Middelweerdbaan', 'Ravenhorst', 'Castellumlaan', 'Alendorperweg'],
};
const ALL_STREETS = Object.values(STREETS_BY_DISTRICT).flat();

export const CASE_REASONS: readonly string[] = [
  'Huurachterstand en brieven van de deurwaarder; wil hulp bij een betalingsregeling.',
  'Moeder van drie kinderen voelt zich overbelast sinds de scheiding.',
  'Hulp gevraagd bij administratie: post blijft ongeopend liggen.',
  'Zorgen over eenzaamheid van een alleenstaande oudere; weinig contact met familie.',
  'Spanningen in het gezin en opvoedvragen over de oudste zoon.',
  'Na ontslag uit het ziekenhuis lukt het huishouden niet meer zelfstandig.',
  'Dreigende huisuitzetting door oplopende huurschuld.',
  'Conflict met buren over geluidsoverlast loopt uit de hand.',
  'Psychische klachten, geen dagbesteding en een ontregeld dag-nachtritme.',
  'Mantelzorger voor partner met dementie raakt uitgeput.',
  'Brieven van instanties worden niet begrepen door de taalbarrière.',
  'Baan verloren; inkomen onzeker en vragen over uitkering en toeslagen.',
  'Zorgen over alcoholgebruik van partner en de gevolgen voor de kinderen.',
  'Schimmel en vocht in de woning; verhuurder reageert niet.',
  'Jongvolwassene na jeugdhulp op zichzelf wonen, loopt vast met geldzaken.',
  'Wil graag vrijwilligerswerk of taalles maar weet niet waar te beginnen.',
];

const GOALS_BY_DOMAIN: Partial<Record<ZrmDomain, readonly string[]>> = {
  [ZrmDomain.FINANCES]: ['Betalingsregeling met de verhuurder afsluiten', 'Overzicht van schulden maken met de schuldhulpverlening', 'Toeslagen aanvragen en inkomen op orde brengen'],
  [ZrmDomain.INCOME]: ['Uitkering aanvragen en inkomen op orde brengen', 'Schulden in kaart brengen'],
  [ZrmDomain.WORK_EDUCATION]: ['Taalcursus Nederlands starten', 'Oriënteren op vrijwilligerswerk als opstap naar werk'],
  [ZrmDomain.DAYTIME_ACTIVITIES]: ['Passende dagbesteding vinden'],
  [ZrmDomain.TIME_USE]: ['Vaste dagstructuur opbouwen met twee activiteiten per week'],
  [ZrmDomain.HOUSING]: ['Huisuitzetting voorkomen', 'Vochtproblemen in de woning laten oplossen door de verhuurder'],
  [ZrmDomain.DOMESTIC_RELATIONS]: ['Rust in het gezin: afspraken over de opvoeding', 'Omgangsregeling met de ex-partner vastleggen'],
  [ZrmDomain.FAMILY_RELATIONS]: ['Rust in het gezin: afspraken over de opvoeding'],
  [ZrmDomain.MENTAL_HEALTH]: ['Aanmelden bij de POH-GGZ van de huisarts', 'Grip krijgen op somberheid en slapeloosheid'],
  [ZrmDomain.PHYSICAL_HEALTH]: ['Regelmatig naar de huisarts voor de diabetescontrole'],
  [ZrmDomain.SUBSTANCE_USE]: ['In gesprek met de verslavingszorg over het alcoholgebruik'],
  [ZrmDomain.ADDICTION]: ['In gesprek met de verslavingszorg over het alcoholgebruik'],
  [ZrmDomain.BASIC_ADL]: ['Thuiszorg regelen voor de persoonlijke verzorging'],
  [ZrmDomain.INSTRUMENTAL_ADL]: ['Huishoudelijke hulp regelen', 'Post en administratie wekelijks samen doornemen'],
  [ZrmDomain.ADL]: ['Huishoudelijke hulp regelen'],
  [ZrmDomain.SOCIAL_NETWORK]: ['Netwerk versterken: maatje via informele zorg', 'Contact met familie herstellen'],
  [ZrmDomain.SOCIAL_PARTICIPATION]: ['Deelnemen aan de inloop in het buurthuis'],
  [ZrmDomain.JUSTICE]: ['Openstaande boetes regelen met het CJIB'],
};

const NOTE_BODIES: readonly string[] = [
  'Kennismakingsgesprek thuis gehad. Bewoner staat open voor hulp en wil vooral rust in de financiën.',
  'Telefonisch contact: afspraak verzet naar volgende week op verzoek van bewoner.',
  'Samen de post doorgenomen; drie aanmaningen gevonden, kopieën gemaakt voor de schuldhulp.',
  'Overleg gehad met de huisarts (met toestemming van bewoner) over de slaapproblemen.',
  'Huisbezoek: woning opgeruimd, kinderen naar school. Positieve ontwikkeling.',
  'Bewoner niet thuis bij afgesproken huisbezoek; briefje achtergelaten.',
  'Plan van aanpak samen opgesteld en ondertekend.',
  'Contact gehad met de woningcorporatie over de betalingsregeling; voorstel volgt.',
  'Casus besproken in het teamoverleg; ambassadeur informele zorg gaat meedenken.',
  'Evaluatiegesprek: doelen grotendeels behaald, afspraken gemaakt over afsluiten.',
  'Bewoner meldt dat het beter gaat; contactfrequentie teruggebracht naar eens per maand.',
  'Samen naar het Wijkbureau geweest voor de aanvraag huishoudelijke hulp.',
];

export const CARE_PROVISIONS: readonly string[] = [
  'Huishoudelijke hulp', 'Individuele begeleiding', 'Dagbesteding', 'Woningaanpassing', 'Scootmobiel', 'Beschermd wonen', 'Kortdurend verblijf',
];

const REFERRAL_REASONS: readonly string[] = [
  'Patiënt komt vaak met klachten die samenhangen met geldzorgen; graag ondersteuning bij de financiën.',
  'Eenzaamheid en somberheid bij alleenstaande patiënt; vraag om sociale ondersteuning.',
  'Mantelzorger overbelast; zoekt hulp bij het regelen van zorg thuis.',
  'Spanningen thuis en slaapproblemen; niet-medische hulpvraag.',
  'Patiënt begrijpt brieven van instanties niet; vraag om hulp bij administratie.',
];

const FEEDBACK_SUMMARIES: Record<FeedbackKind, readonly string[]> = {
  [FeedbackKind.COMPLAINT]: [
    'Te lang moeten wachten op een eerste afspraak.',
    'Medewerker kwam niet opdagen bij een afgesproken huisbezoek.',
    'Bewoner voelt zich niet gehoord in het plan van aanpak.',
  ],
  [FeedbackKind.COMPLIMENT]: [
    'Heel blij met de snelle hulp bij de huurachterstand.',
    'De buurtteammedewerker dacht echt mee; dank voor alle steun.',
    'Fijn dat alles in één plan staat en ik maar één contactpersoon heb.',
  ],
  [FeedbackKind.SUGGESTION]: ['Spreekuur ook op zaterdag zou fijn zijn.', 'Folders ook in het Arabisch en Turks aanbieden.'],
};

// ---------------------------------------------------------------------------------------
// ZRM
// ---------------------------------------------------------------------------------------

/** The domains of each ZRM version, in the order the matrix lists them (DESIGN.md section 3). */
export const ZRM_DOMAINS: Record<ZrmVersion, readonly ZrmDomain[]> = {
  [ZrmVersion.ZRM_2015]: [
    ZrmDomain.INCOME, ZrmDomain.DAYTIME_ACTIVITIES, ZrmDomain.HOUSING, ZrmDomain.FAMILY_RELATIONS, ZrmDomain.MENTAL_HEALTH,
    ZrmDomain.PHYSICAL_HEALTH, ZrmDomain.ADDICTION, ZrmDomain.ADL, ZrmDomain.SOCIAL_NETWORK, ZrmDomain.SOCIAL_PARTICIPATION,
    ZrmDomain.JUSTICE,
  ],
  [ZrmVersion.ZRM_2017]: [
    ZrmDomain.FINANCES, ZrmDomain.WORK_EDUCATION, ZrmDomain.TIME_USE, ZrmDomain.HOUSING, ZrmDomain.DOMESTIC_RELATIONS,
    ZrmDomain.MENTAL_HEALTH, ZrmDomain.PHYSICAL_HEALTH, ZrmDomain.SUBSTANCE_USE, ZrmDomain.BASIC_ADL, ZrmDomain.INSTRUMENTAL_ADL,
    ZrmDomain.SOCIAL_NETWORK, ZrmDomain.SOCIAL_PARTICIPATION, ZrmDomain.JUSTICE,
  ],
};

// ---------------------------------------------------------------------------------------
// Team, organisation, staff
// ---------------------------------------------------------------------------------------

export interface TeamOverrides extends FactoryOptions {
  code?: string;
  name?: string;
  district?: string | null;
  kind?: TeamKind;
  isFlex?: boolean;
  /** Postcode areas (four digits). Default none, so test teams never capture real addresses. */
  postcodes?: string[];
}

export function buildTeam(em: EntityManager, o: TeamOverrides = {}): Team {
  const code = o.code ?? `team-${uniqueSuffix()}`;
  return make(em, Team, {
    code,
    name: o.name ?? `Buurtteam ${code}`,
    district: o.district === undefined ? null : o.district,
    kind: o.kind ?? TeamKind.SOCIAL,
    isFlex: o.isFlex ?? false,
    postcodes: o.postcodes ?? [],
  });
}

export interface OrganisationOverrides extends FactoryOptions {
  code?: string;
  name?: string;
  kind?: OrganisationKind;
  /** Default: an 8-digit AGB code for GP practices, none otherwise. */
  agbCode?: string | null;
}

export function buildOrganisation(em: EntityManager, o: OrganisationOverrides = {}): Organisation {
  const rng = rngOf(o);
  const kind = o.kind ?? OrganisationKind.CARE_PROVIDER;
  const code = o.code ?? `org-${uniqueSuffix()}`;
  return make(em, Organisation, {
    code,
    name: o.name ?? `Organisatie ${code}`,
    kind,
    agbCode: pick(o.agbCode, () => (kind === OrganisationKind.GP_PRACTICE ? `01${rng.digits(6)}` : null)),
  });
}

export interface StaffOverrides extends FactoryOptions {
  name?: string;
  email?: string;
  phone?: string | null;
  role?: Role;
  teams?: Team[];
  organisation?: Organisation | null;
  active?: boolean;
}

export function buildStaff(em: EntityManager, o: StaffOverrides = {}): Staff {
  const rng = rngOf(o);
  const name = o.name ?? staffName(rng);
  return make(em, Staff, {
    name,
    email: o.email ?? `${slugify(name).replace(/-/g, '.')}.${uniqueSuffix()}@voordeur.test`,
    phone: pick(o.phone, () => mobilePhone(rng)),
    role: o.role ?? Role.TEAM_WORKER,
    active: o.active ?? true,
    teams: o.teams ?? [],
    organisation: o.organisation ?? null,
  });
}

// ---------------------------------------------------------------------------------------
// Household and residents
// ---------------------------------------------------------------------------------------

export interface MemberOverrides {
  givenName?: string;
  familyName?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
  /** A valid BSN; `null` for none. Default: a generated valid BSN for most members. */
  bsn?: string | null;
  phone?: string | null;
  languages?: string[];
  relation?: HouseholdRelation;
}

export interface HouseholdOverrides extends FactoryOptions {
  team: Team;
  street?: string;
  houseNumber?: string;
  houseNumberAddition?: string | null;
  /** Normalised `1234AB`. Default: an area of the team (or 3500-range when the team has none). */
  postcode?: string;
  city?: string;
  createdAt?: Date;
  /** A number of generated members (1–4 by default) or one override object per member. */
  members?: number | MemberOverrides[];
  /** Cultural background of generated names and languages. */
  background?: Background;
  /** Key for BSN encryption and hashing; defaults to the development key. */
  bsnKey?: string;
}

export interface BuiltHousehold {
  household: Household;
  residents: Resident[];
  /** The first member (relation HEAD unless overridden). */
  head: Resident;
}

function birthDateForAge(age: number, now: Date, rng: Rng): string {
  const d = new Date(now.getTime() - (age * 365.25 + rng.int(1, 360)) * DAY_MS);
  return toDateString(d);
}

function defaultMembers(count: number, rng: Rng): Array<{ relation: HouseholdRelation; age: number; male: boolean }> {
  const headAge = rng.int(22, 84);
  const male = rng.chance(0.45);
  const out: Array<{ relation: HouseholdRelation; age: number; male: boolean }> = [{ relation: HouseholdRelation.HEAD, age: headAge, male }];
  if (count >= 2 && (count > 2 || rng.chance(0.6))) {
    out.push({ relation: HouseholdRelation.PARTNER, age: Math.max(19, headAge + rng.int(-6, 6)), male: !male });
  }
  while (out.length < count) {
    if (headAge >= 24 && headAge <= 62) {
      const maxChildAge = Math.min(17, headAge - 19);
      out.push({ relation: HouseholdRelation.CHILD, age: rng.int(0, Math.max(0, maxChildAge)), male: rng.chance(0.5) });
    } else {
      out.push({ relation: HouseholdRelation.OTHER, age: rng.int(18, 90), male: rng.chance(0.5) });
    }
  }
  return out;
}

function ageOn(birthDate: string, now: Date): number {
  return daysBetween(new Date(`${birthDate}T00:00:00Z`), now) / 365.25;
}

export function buildHousehold(em: EntityManager, o: HouseholdOverrides): BuiltHousehold {
  const rng = rngOf(o);
  const now = nowOf(o);
  const bsnKey = o.bsnKey ?? defaultBsnKey();
  const team = o.team;
  const background = o.background ?? rng.weighted<Background>([['dutch', 55], ['moroccan', 25], ['turkish', 20]]);
  const names = NAMES[background];
  const area = team.postcodes.length > 0 ? rng.pick(team.postcodes) : String(rng.int(3511, 3585));
  const streets = (team.district && STREETS_BY_DISTRICT[team.district]) || ALL_STREETS;
  const flat = rng.chance(0.25);

  const household = make(em, Household, {
    team,
    street: o.street ?? rng.pick(streets),
    houseNumber: o.houseNumber ?? (flat ? `${rng.int(1, 220)}-${rng.int(1, 4)}` : String(rng.int(1, 240))),
    houseNumberAddition: pick(o.houseNumberAddition, () => (!flat && rng.chance(0.08) ? rng.pick(['A', 'B', 'bis']) : null)),
    postcode: o.postcode ?? postcodeIn(area, rng),
    city: o.city ?? 'Utrecht',
    ...(o.createdAt ? { createdAt: o.createdAt, updatedAt: o.createdAt } : {}),
  });

  const given = Array.isArray(o.members) ? null : defaultMembers(o.members ?? rng.weighted([[1, 40], [2, 25], [3, 20], [4, 15]]), rng);
  const specs: MemberOverrides[] = Array.isArray(o.members) ? o.members : given!.map(() => ({}));
  const familyName = rng.pick(names.family);
  const householdLanguages = rng.pick(names.languages);

  const usedGiven = new Set(specs.map((m) => m.givenName).filter((n): n is string => !!n));
  const givenName = (male: boolean) => {
    const pool = (male ? names.male : names.female).filter((n) => !usedGiven.has(n));
    const n = rng.pick(pool.length > 0 ? pool : male ? names.male : names.female);
    usedGiven.add(n);
    return n;
  };
  const residents = specs.map((spec, i) => {
    const shape = given?.[i] ?? { relation: i === 0 ? HouseholdRelation.HEAD : HouseholdRelation.OTHER, age: rng.int(19, 80), male: rng.chance(0.5) };
    const relation = spec.relation ?? shape.relation;
    const birthDate = spec.birthDate ?? birthDateForAge(shape.age, now, rng);
    const age = ageOn(birthDate, now);
    const adult = age >= 18;
    const bsn = pick(spec.bsn, () => (rng.chance(adult ? 0.9 : 0.6) ? makeBsn(rng.int(10_000_000, 99_999_999)) : null));
    const partnerName = relation === HouseholdRelation.PARTNER && rng.chance(0.5) ? rng.pick(names.family) : familyName;
    return make(em, Resident, {
      household,
      team,
      givenName: spec.givenName ?? givenName(shape.male),
      familyName: spec.familyName ?? (relation === HouseholdRelation.OTHER && rng.chance(0.5) ? rng.pick(names.family) : partnerName),
      birthDate,
      bsnEncrypted: bsn ? encryptBsn(bsn, bsnKey) : null,
      bsnHash: bsn ? hashBsn(bsn, bsnKey) : null,
      bsnLast4: bsn ? bsn.slice(-4) : null,
      phone: pick(spec.phone, () => (age >= 14 && rng.chance(adult ? 0.9 : 0.6) ? mobilePhone(rng) : null)),
      languages: spec.languages ?? (age < 12 ? ['Dutch'] : [...householdLanguages]),
      relation,
    });
  });
  if (residents.length === 0) throw new Error('buildHousehold: a household needs at least one member');
  return { household, residents, head: residents[0]! };
}

// ---------------------------------------------------------------------------------------
// Case and its contents
// ---------------------------------------------------------------------------------------

export interface CaseOverrides extends FactoryOptions {
  household: Household;
  team?: Team;
  status?: CaseStatus;
  reason?: string;
  referralSource?: ReferralSource;
  registeredAt?: Date;
  firstContactAt?: Date | null;
  startedAt?: Date | null;
  closedAt?: Date | null;
  closureReason?: ClosureReason | null;
  clientRating?: number | null;
  selfReliantAfter?: boolean | null;
  coordinator?: Staff | null;
  /** For CLOSED: close before the case started (startedAt stays empty). Default: about one in four. */
  closedEarly?: boolean;
  /** Upper bound for every generated date (default `now`); e.g. the start of a later case. */
  latest?: Date;
}

const HOUR_MS = 60 * 60 * 1000;

/** Days ago a registration typically lies for each status (before `latest`). */
const REGISTERED_AGO: Record<CaseStatus, [number, number]> = {
  [CaseStatus.REGISTERED]: [0.5, 12],
  [CaseStatus.INTAKE]: [4, 45],
  [CaseStatus.ACTIVE]: [25, 540],
  [CaseStatus.CLOSED]: [40, 548],
};

/**
 * A case consistent with its status: REGISTERED has no first contact, INTAKE has one,
 * ACTIVE has a start, CLOSED has a closure (reason; rating and self-reliance when it had
 * started). Dates are ordered registered ≤ first contact ≤ started ≤ closed ≤ latest.
 */
export function buildCase(em: EntityManager, o: CaseOverrides): Case {
  const rng = rngOf(o);
  const latest = new Date((o.latest ?? nowOf(o)).getTime() - HOUR_MS);
  const status = o.status ?? CaseStatus.REGISTERED;
  const closedEarly = status === CaseStatus.CLOSED && (o.closedEarly ?? (o.startedAt === null || rng.chance(0.25)));
  const [minAgo, maxAgo] = REGISTERED_AGO[status];
  let registeredAt = o.registeredAt ?? rng.officeHours(addDays(latest, -rng.int(Math.ceil(minAgo), maxAgo)));
  if (registeredAt > latest) registeredAt = latest;

  // Whole days from registration along the chain; scaled down when they overshoot `latest`.
  const hasFirstContact = status !== CaseStatus.REGISTERED && !(closedEarly && rng.chance(0.3));
  const hasStart = status === CaseStatus.ACTIVE || (status === CaseStatus.CLOSED && !closedEarly);
  let fc = hasFirstContact ? rng.weighted([[1, 10], [2, 15], [3, 18], [4, 15], [5, 12], [6, 9], [7, 7], [9, 6], [12, 5], [16, 3]]) : 0;
  let st = hasStart ? fc + rng.int(0, 14) : fc;
  let cl = status === CaseStatus.CLOSED ? st + (closedEarly ? rng.int(2, 40) : rng.int(30, 330)) : st;
  const room = Math.floor(daysBetween(registeredAt, latest));
  if (cl > room) {
    const f = (room * (0.6 + 0.4 * rng.next())) / cl;
    fc = Math.floor(fc * f);
    st = Math.floor(st * f);
    cl = Math.floor(cl * f);
  }
  // Each moment during office hours on its day, never before the previous one nor after `latest`.
  let previous = registeredAt;
  const at = (days: number) => {
    const t = Math.min(latest.getTime(), Math.max(previous.getTime() + rng.int(10, 90) * 60_000, rng.officeHours(addDays(registeredAt, days)).getTime()));
    previous = new Date(t);
    return previous;
  };
  const fcAt = hasFirstContact ? at(fc) : null;
  const stAt = hasStart ? at(st) : null;
  const clAt = status === CaseStatus.CLOSED ? at(cl) : null;

  const firstContactAt = pick(o.firstContactAt, () => fcAt);
  const startedAt = pick(o.startedAt, () => stAt);
  const closedAt = pick(o.closedAt, () => clAt);
  const started = startedAt != null;
  const closureReason = pick(o.closureReason, () =>
    status !== CaseStatus.CLOSED
      ? null
      : started
        ? rng.weighted([[ClosureReason.AS_PLANNED, 62], [ClosureReason.EARLY_BY_AGREEMENT, 14], [ClosureReason.ENDED_BY_CLIENT, 10], [ClosureReason.ENDED_BY_TEAM, 4], [ClosureReason.EXTERNAL, 10]])
        : rng.weighted([[ClosureReason.EARLY_BY_AGREEMENT, 35], [ClosureReason.ENDED_BY_CLIENT, 30], [ClosureReason.EXTERNAL, 25], [ClosureReason.ENDED_BY_TEAM, 10]]),
  );
  const clientRating = pick(o.clientRating, () =>
    status === CaseStatus.CLOSED && started && rng.chance(0.85) ? rng.weighted([[5, 3], [6, 8], [7, 25], [8, 35], [9, 20], [10, 9]]) : null,
  );
  const selfReliantAfter = pick(o.selfReliantAfter, () =>
    status === CaseStatus.CLOSED && started ? rng.chance(closureReason === ClosureReason.AS_PLANNED ? 0.8 : 0.4) : null,
  );

  return make(em, Case, {
    household: o.household,
    team: o.team ?? o.household.team,
    status,
    reason: o.reason ?? rng.pick(CASE_REASONS),
    referralSource:
      o.referralSource ??
      rng.weighted([
        [ReferralSource.SELF, 40], [ReferralSource.GP, 15], [ReferralSource.HOUSING_CORPORATION, 10], [ReferralSource.CARE_PROVIDER, 9],
        [ReferralSource.SCHOOL, 8], [ReferralSource.POLICE, 5], [ReferralSource.MUNICIPALITY, 8], [ReferralSource.OTHER, 5],
      ]),
    registeredAt,
    firstContactAt,
    startedAt,
    closedAt,
    closureReason,
    clientRating,
    selfReliantAfter,
    coordinator: o.coordinator ?? null,
    createdAt: registeredAt,
    updatedAt: closedAt ?? startedAt ?? firstContactAt ?? registeredAt,
  });
}

/** The window in which a case's work happens: from first contact (or registration) to closure (or now). */
export function caseWindow(c: Case, now: Date = new Date()): { from: Date; to: Date } {
  const from = c.startedAt ?? c.firstContactAt ?? c.registeredAt;
  const to = c.closedAt ?? new Date(now.getTime() - HOUR_MS);
  return { from, to: to < from ? from : to };
}

export interface GoalOverrides extends FactoryOptions {
  case: Case;
  description?: string;
  domain?: ZrmDomain | null;
  status?: GoalStatus;
  targetDate?: string | null;
}

export function buildGoal(em: EntityManager, o: GoalOverrides): Goal {
  const rng = rngOf(o);
  const domain = pick(o.domain, () => rng.pick(ZRM_DOMAINS[ZrmVersion.ZRM_2017].filter((d) => GOALS_BY_DOMAIN[d])));
  const { from } = caseWindow(o.case, nowOf(o));
  const status =
    o.status ??
    (o.case.status === CaseStatus.CLOSED
      ? rng.weighted([[GoalStatus.ACHIEVED, 65], [GoalStatus.DROPPED, 35]])
      : rng.weighted([[GoalStatus.OPEN, 75], [GoalStatus.ACHIEVED, 20], [GoalStatus.DROPPED, 5]]));
  return make(em, Goal, {
    case: o.case,
    description: o.description ?? rng.pick(GOALS_BY_DOMAIN[domain ?? ZrmDomain.FINANCES] ?? ['Zelfstandig verder zonder buurtteam']),
    domain,
    status,
    targetDate: pick(o.targetDate, () => toDateString(addDays(from, rng.int(45, 240)))),
    createdAt: from,
    updatedAt: from,
  });
}

export interface NoteOverrides extends FactoryOptions {
  case: Case;
  author: Staff;
  body?: string;
  createdAt?: Date;
}

export function buildNote(em: EntityManager, o: NoteOverrides): CaseNote {
  const rng = rngOf(o);
  const { from, to } = caseWindow(o.case, nowOf(o));
  const createdAt = o.createdAt ?? rng.officeTimeBetween(from, to);
  return make(em, CaseNote, {
    case: o.case,
    author: o.author,
    body: o.body ?? rng.pick(NOTE_BODIES),
    createdAt,
    updatedAt: createdAt,
  });
}

export interface ZrmOverrides extends FactoryOptions {
  case: Case;
  version?: ZrmVersion;
  kind?: ZrmKind;
  resident?: Resident | null;
  assessedAt?: Date;
  /** Fixed scores for some domains; the others are generated. Domains outside the version are rejected. */
  scores?: Partial<Record<ZrmDomain, number>>;
  /** An earlier assessment of the same version to evolve from (scores mostly equal or better). */
  previous?: ZrmAssessment;
}

const ZRM_BASE: Record<ZrmKind, number> = { [ZrmKind.BASELINE]: 2.6, [ZrmKind.FOLLOW_UP]: 3.1, [ZrmKind.CLOSING]: 3.6 };

/** One assessment with exactly one score 1–5 for every domain of its version, in the version's order. */
export function buildZrm(em: EntityManager, o: ZrmOverrides): ZrmAssessment {
  const rng = rngOf(o);
  const version = o.version ?? ZrmVersion.ZRM_2017;
  const kind = o.kind ?? ZrmKind.BASELINE;
  const domains = ZRM_DOMAINS[version];
  for (const [domain, score] of Object.entries(o.scores ?? {})) {
    if (!domains.includes(domain as ZrmDomain)) throw new Error(`buildZrm: ${domain} is not a domain of ${version}`);
    if (!Number.isInteger(score) || score! < 1 || score! > 5) throw new Error(`buildZrm: score for ${domain} must be 1–5`);
  }
  const before = new Map((o.previous?.version === version ? o.previous.scores : []).map((s) => [s.domain, s.score]));
  const scores: ZrmScore[] = domains.map((domain) => {
    const fixed = o.scores?.[domain];
    if (fixed !== undefined) return { domain, score: fixed };
    const prev = before.get(domain);
    const raw = prev !== undefined ? prev + rng.weighted([[-1, 1], [0, 5], [1, 4]]) : ZRM_BASE[kind] + (rng.next() + rng.next() - 1) * 2.2;
    return { domain, score: Math.min(5, Math.max(1, Math.round(raw))) };
  });

  const now = nowOf(o);
  const { from, to } = caseWindow(o.case, now);
  const assessedAt =
    o.assessedAt ??
    (kind === ZrmKind.BASELINE
      ? rng.officeTimeBetween(from, new Date(Math.min(to.getTime(), from.getTime() + 10 * DAY_MS)))
      : kind === ZrmKind.CLOSING
        ? new Date(Math.max(from.getTime(), to.getTime() - rng.int(0, 3) * DAY_MS))
        : rng.officeTimeBetween(new Date(from.getTime() + (to.getTime() - from.getTime()) * 0.3), new Date(from.getTime() + (to.getTime() - from.getTime()) * 0.8)));

  return make(em, ZrmAssessment, {
    case: o.case,
    resident: o.resident ?? null,
    version,
    kind,
    scores,
    assessedAt,
    createdAt: assessedAt,
    updatedAt: assessedAt,
  });
}

export interface CareAllocationOverrides extends FactoryOptions {
  case: Case;
  provision?: string;
  provider?: Organisation | null;
  form?: CareForm;
  decision?: CareDecision;
  investigationStartedAt?: string;
  decidedAt?: string | null;
}

export function buildCareAllocation(em: EntityManager, o: CareAllocationOverrides): CareAllocation {
  const rng = rngOf(o);
  const now = nowOf(o);
  const { from, to } = caseWindow(o.case, now);
  const started = rng.officeTimeBetween(from, new Date(from.getTime() + (to.getTime() - from.getTime()) * 0.5));
  const form = o.form ?? rng.weighted([[CareForm.ZIN, 70], [CareForm.PGB, 30]]);
  const decision =
    o.decision ??
    rng.weighted([[CareDecision.PENDING, 20], [CareDecision.PROVISIONALLY_GRANTED, form === CareForm.PGB ? 30 : 10], [CareDecision.GRANTED, 55], [CareDecision.REJECTED, 10]]);
  const decided = new Date(Math.min(to.getTime(), started.getTime() + rng.int(7, 56) * DAY_MS));
  return make(em, CareAllocation, {
    case: o.case,
    provision: o.provision ?? rng.pick(CARE_PROVISIONS),
    provider: o.provider ?? null,
    form,
    decision,
    investigationStartedAt: o.investigationStartedAt ?? toDateString(started),
    decidedAt: pick(o.decidedAt, () => (decision === CareDecision.PENDING ? null : toDateString(decided))),
    createdAt: started,
    updatedAt: decided,
  });
}

// ---------------------------------------------------------------------------------------
// Consent, referral, feedback, worker change
// ---------------------------------------------------------------------------------------

export interface ConsentOverrides extends FactoryOptions {
  resident: Resident;
  recipient: Organisation;
  recordedBy: Staff;
  team?: Team;
  purpose?: ConsentPurpose;
  grantedAt?: Date;
  revokedAt?: Date | null;
}

export function buildConsent(em: EntityManager, o: ConsentOverrides): Consent {
  const rng = rngOf(o);
  const now = nowOf(o);
  const grantedAt = o.grantedAt ?? rng.officeTimeBetween(addDays(now, -300), addDays(now, -1));
  return make(em, Consent, {
    resident: o.resident,
    team: o.team ?? o.resident.team,
    recipient: o.recipient,
    purpose: o.purpose ?? ConsentPurpose.GP_TANDEM,
    grantedAt,
    revokedAt: o.revokedAt ?? null,
    recordedBy: o.recordedBy,
    createdAt: grantedAt,
    updatedAt: o.revokedAt ?? grantedAt,
  });
}

export interface ReferralOverrides extends FactoryOptions {
  from: Organisation;
  /** Default: the subject resident's team. */
  team?: Team;
  kind?: ReferralKind;
  externalId?: string;
  status?: ReferralStatus;
  receivedAt?: Date;
  /**
   * Copy the subject (name, birth date, address, phone) from this resident; its household must be loaded.
   * The referral is then matched: `household` and `resident` are linked (unless `linkResident: false`).
   */
  resident?: Resident;
  /** Link `resident` as the matched resident (default true when `resident` is given). */
  linkResident?: boolean;
  /**
   * The partner system it came in from (default: the sender's, as for a polled record);
   * `null` for a referral the sender submitted through its app (it gets no status pushes).
   */
  partnerSystem?: PartnerSystem | null;
  subjectGivenName?: string;
  subjectFamilyName?: string;
  subjectBirthDate?: string | null;
  subjectPostcode?: string;
  subjectHouseNumber?: string;
  subjectPhone?: string | null;
  /** Stored encrypted with `bsnKey`. */
  subjectBsn?: string | null;
  bsnKey?: string;
  reason?: string | null;
  urgency?: Urgency | null;
  /** Decimal as a string, e.g. "850.00" (arrears signals). */
  arrearsAmount?: string | null;
  arrearsSince?: string | null;
  arrearsMonths?: number | null;
  consentObtained?: boolean;
  household?: Household | null;
  case?: Case | null;
}

export function buildReferral(em: EntityManager, o: ReferralOverrides): Referral {
  const rng = rngOf(o);
  const now = nowOf(o);
  const kind = o.kind ?? (o.from.kind === OrganisationKind.HOUSING_CORPORATION ? ReferralKind.ARREARS_SIGNAL : ReferralKind.GP_REFERRAL);
  const arrears = kind === ReferralKind.ARREARS_SIGNAL;
  const resident = o.resident;
  const residentHousehold = resident ? (o.household ?? resident.household) : undefined;
  if (resident && (!residentHousehold || residentHousehold.postcode === undefined)) {
    throw new Error('buildReferral: the resident\'s household must be loaded (or pass `household`)');
  }
  const team = o.team ?? resident?.team ?? o.household?.team;
  if (!team) throw new Error('buildReferral: pass `team` (or a resident/household to take it from)');

  const receivedAt = o.receivedAt ?? rng.officeHours(addDays(now, -rng.int(1, 30)));
  const background = rng.weighted<Background>([['dutch', 55], ['moroccan', 25], ['turkish', 20]]);
  const names = NAMES[background];
  const area = team.postcodes.length > 0 ? rng.pick(team.postcodes) : String(rng.int(3511, 3585));
  const months = arrears ? rng.int(2, 5) : null;
  const subjectBsn = o.subjectBsn ?? null;
  const bsnKey = o.bsnKey ?? defaultBsnKey();

  return make(em, Referral, {
    kind,
    externalId: o.externalId ?? `${arrears ? 'VS' : 'SR'}-${uniqueSuffix()}`,
    from: o.from,
    team,
    status: o.status ?? ReferralStatus.RECEIVED,
    receivedAt,
    subjectGivenName: o.subjectGivenName ?? resident?.givenName ?? rng.pick(rng.chance(0.5) ? names.male : names.female),
    subjectFamilyName: o.subjectFamilyName ?? resident?.familyName ?? rng.pick(names.family),
    subjectBirthDate: pick(o.subjectBirthDate, () => resident?.birthDate ?? birthDateForAge(rng.int(20, 80), now, rng)),
    subjectPostcode: o.subjectPostcode ?? residentHousehold?.postcode ?? postcodeIn(area, rng),
    subjectHouseNumber: o.subjectHouseNumber ?? residentHousehold?.houseNumber ?? String(rng.int(1, 240)),
    subjectPhone: pick(o.subjectPhone, () => resident?.phone ?? (rng.chance(0.7) ? mobilePhone(rng) : null)),
    subjectBsnEncrypted: subjectBsn ? encryptBsn(subjectBsn, bsnKey) : null,
    reason: pick(o.reason, () => (arrears ? `Huurachterstand van ${months} maanden.` : rng.pick(REFERRAL_REASONS))),
    urgency: pick(o.urgency, () => (arrears ? null : rng.weighted([[Urgency.ROUTINE, 70], [Urgency.SOON, 25], [Urgency.URGENT, 5]]))),
    arrearsAmount: pick(o.arrearsAmount, () => (arrears ? `${rng.int(5, 60) * 50}.00` : null)),
    arrearsSince: pick(o.arrearsSince, () => (arrears ? toDateString(addDays(receivedAt, -30 * (months ?? 2) - rng.int(0, 20))) : null)),
    arrearsMonths: pick(o.arrearsMonths, () => months),
    consentObtained: o.consentObtained ?? true,
    household: o.household ?? (resident ? residentHousehold : null) ?? null,
    case: o.case ?? null,
    resident: resident && o.linkResident !== false ? resident : null,
    partnerSystem: pick(o.partnerSystem, () => (o.from.kind === OrganisationKind.GP_PRACTICE ? 'huisarts' : o.from.kind === OrganisationKind.HOUSING_CORPORATION ? 'corporation' : null)),
    createdAt: receivedAt,
    updatedAt: receivedAt,
    statusShownAt: receivedAt,
  });
}

export interface ContactAttemptOverrides extends FactoryOptions {
  referral: Referral;
  kind?: ContactKind;
  at?: Date;
  reached?: boolean;
}

export function buildContactAttempt(em: EntityManager, o: ContactAttemptOverrides): ContactAttempt {
  const rng = rngOf(o);
  const at = o.at ?? new Date(Math.min(nowOf(o).getTime() - HOUR_MS, o.referral.receivedAt.getTime() + rng.int(1, 5) * DAY_MS));
  return make(em, ContactAttempt, {
    referral: o.referral,
    kind: o.kind ?? rng.weighted([[ContactKind.PHONE, 60], [ContactKind.VISIT, 25], [ContactKind.LETTER, 15]]),
    at,
    reached: o.reached ?? rng.chance(0.5),
    createdAt: at,
    updatedAt: at,
  });
}

export interface FeedbackOverrides extends FactoryOptions {
  team: Team;
  case?: Case | null;
  kind?: FeedbackKind;
  status?: FeedbackStatus;
  receivedAt?: Date;
  summary?: string;
  resolution?: string | null;
  resolvedAt?: Date | null;
}

export function buildFeedback(em: EntityManager, o: FeedbackOverrides): Feedback {
  const rng = rngOf(o);
  const now = nowOf(o);
  const kind = o.kind ?? rng.weighted([[FeedbackKind.COMPLIMENT, 50], [FeedbackKind.COMPLAINT, 35], [FeedbackKind.SUGGESTION, 15]]);
  const status =
    o.status ??
    (kind === FeedbackKind.COMPLAINT
      ? rng.weighted([[FeedbackStatus.OPEN, 30], [FeedbackStatus.RESOLVED, 45], [FeedbackStatus.UNFOUNDED, 20], [FeedbackStatus.ESCALATED, 5]])
      : rng.weighted([[FeedbackStatus.RESOLVED, 70], [FeedbackStatus.OPEN, 30]]));
  const receivedAt = o.receivedAt ?? rng.officeHours(addDays(now, -rng.int(2, 360)));
  const done = status === FeedbackStatus.RESOLVED || status === FeedbackStatus.UNFOUNDED || status === FeedbackStatus.ESCALATED;
  const resolvedAt = pick(o.resolvedAt, () => (done ? new Date(Math.min(now.getTime() - HOUR_MS, receivedAt.getTime() + rng.int(1, 30) * DAY_MS)) : null));
  return make(em, Feedback, {
    team: o.team,
    case: o.case ?? null,
    kind,
    status,
    receivedAt,
    summary: o.summary ?? rng.pick(FEEDBACK_SUMMARIES[kind]),
    resolution: pick(o.resolution, () =>
      status === FeedbackStatus.RESOLVED
        ? kind === FeedbackKind.COMPLAINT ? 'Gesprek gevoerd met bewoner en teamleider; excuses aangeboden en afspraken gemaakt.' : 'Gedeeld met het team.'
        : status === FeedbackStatus.UNFOUNDED
          ? 'Na onderzoek ongegrond verklaard; uitgelegd aan bewoner.'
          : status === FeedbackStatus.ESCALATED
            ? 'Doorgestuurd naar de externe klachtencommissie.'
            : null,
    ),
    resolvedAt,
    createdAt: receivedAt,
    updatedAt: resolvedAt ?? receivedAt,
  });
}

export interface WorkerChangeOverrides extends FactoryOptions {
  case: Case;
  requestedBy: Staff;
  team?: Team;
  toTeam?: Team | null;
  reason?: string;
  status?: WorkerChangeStatus;
  requestedAt?: Date;
  decidedAt?: Date | null;
  decidedBy?: Staff | null;
}

export function buildWorkerChangeRequest(em: EntityManager, o: WorkerChangeOverrides): WorkerChangeRequest {
  const rng = rngOf(o);
  const { from, to } = caseWindow(o.case, nowOf(o));
  const requestedAt = o.requestedAt ?? rng.officeTimeBetween(from, to);
  const status = o.status ?? WorkerChangeStatus.REQUESTED;
  const decided = status !== WorkerChangeStatus.REQUESTED;
  const decidedAt = pick(o.decidedAt, () => (decided ? new Date(Math.min(to.getTime(), requestedAt.getTime() + rng.int(1, 10) * DAY_MS)) : null));
  return make(em, WorkerChangeRequest, {
    case: o.case,
    team: o.team ?? o.case.team,
    toTeam: o.toTeam ?? null,
    reason: o.reason ?? 'Bewoner heeft geen klik met de huidige medewerker en vraagt om een andere contactpersoon.',
    status,
    requestedAt,
    decidedAt,
    decidedBy: o.decidedBy ?? null,
    requestedBy: o.requestedBy,
    createdAt: requestedAt,
    updatedAt: decidedAt ?? requestedAt,
  });
}

// ---------------------------------------------------------------------------------------
// Flex assignments
// ---------------------------------------------------------------------------------------

/** `YYYY-MM-DD`, `months` calendar months after `d` (UTC; the day clamped to the month's end). */
export function addMonthsDate(d: Date, months: number): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return toDateString(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

export interface FlexAssignmentOverrides extends FactoryOptions {
  /** The flex worker. */
  staff: Staff;
  case: Case;
  /** Usually the lead of the case's team. */
  assignedBy: Staff;
  /** Last day of access (inclusive), `YYYY-MM-DD`. Default: three months from `now`. */
  until?: string;
  createdAt?: Date;
}

export function buildFlexAssignment(em: EntityManager, o: FlexAssignmentOverrides): FlexAssignment {
  const rng = rngOf(o);
  const now = nowOf(o);
  const { from } = caseWindow(o.case, now);
  const createdAt = o.createdAt ?? rng.officeTimeBetween(new Date(Math.max(from.getTime(), addDays(now, -14).getTime())), new Date(now.getTime() - HOUR_MS));
  return make(em, FlexAssignment, {
    staff: o.staff,
    case: o.case,
    until: o.until ?? addMonthsDate(now, 3),
    assignedBy: o.assignedBy,
    createdAt,
    updatedAt: createdAt,
  });
}

// ---------------------------------------------------------------------------------------
// Informal care: volunteers, requests, case discussions, matches, check-ins
// ---------------------------------------------------------------------------------------

const WEEKDAYS: readonly Weekday[] = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY, Weekday.SUNDAY];
const DAY_PARTS: readonly DayPart[] = [DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING];
const ALL_SLOTS: readonly AvailabilitySlot[] = WEEKDAYS.flatMap((day) => DAY_PARTS.map((part) => ({ day, part })));

/** `n` distinct weekly slots (weekday daytime more likely than evenings and weekends), in week order. */
export function randomAvailability(rng: Rng, n: number): AvailabilitySlot[] {
  const weighted = ALL_SLOTS.map((slot) => {
    const weekend = slot.day === Weekday.SATURDAY || slot.day === Weekday.SUNDAY;
    return { slot, key: rng.next() * (weekend ? 0.5 : 1) * (slot.part === DayPart.EVENING ? 0.6 : 1) };
  });
  return weighted
    .sort((a, b) => b.key - a.key)
    .slice(0, Math.max(0, Math.min(n, ALL_SLOTS.length)))
    .map((w) => w.slot)
    .sort((a, b) => ALL_SLOTS.indexOf(a) - ALL_SLOTS.indexOf(b))
    .map((s) => ({ day: s.day, part: s.part }));
}

/** Skills in vocabulary order. */
function inSkillOrder(skills: readonly string[]): string[] {
  return [...new Set(skills)].sort((a, b) => SKILLS.indexOf(a as Skill) - SKILLS.indexOf(b as Skill));
}

/** What a volunteer is asked to do, per need: the same texts the API uses by default. */
export const TASK_BY_SKILL: Record<Skill, string> = TASK_BY_NEED;

export interface VolunteerOverrides extends FactoryOptions {
  organisation: Organisation;
  givenName?: string;
  familyName?: string;
  /** The login. Default: derived from the name with a unique suffix. */
  email?: string;
  phone?: string | null;
  /** Normalised `1234AB`. Default: in one of `areas`. */
  postcode?: string;
  /** Postcode areas (four digits) to draw the postcode from; default the Utrecht range. */
  areas?: readonly string[];
  background?: Background;
  /** From SKILLS. Default: two to five of them. */
  skills?: string[];
  /** From LANGUAGES. Default: those of the background, mostly with Dutch. */
  languages?: string[];
  availability?: AvailabilitySlot[];
  maxMatches?: number;
  /** `YYYY-MM-DD`; default within the last three years (a VOG older than that blocks new matches). */
  vogIssuedAt?: string | null;
  active?: boolean;
  createdAt?: Date;
}

export function buildVolunteer(em: EntityManager, o: VolunteerOverrides): Volunteer {
  const rng = rngOf(o);
  const now = nowOf(o);
  const background = o.background ?? rng.weighted<Background>([['dutch', 50], ['moroccan', 18], ['turkish', 12], ['polish', 8], ['antillean', 6], ['somali', 6]]);
  const names = NAMES[background];
  const male = rng.chance(0.4);
  const givenName = o.givenName ?? rng.pick(male ? names.male : names.female);
  const drawnFamily = rng.pick(names.family);
  // Polish family names in -ski/-cki take -ska/-cka for women.
  const familyName = o.familyName ?? (background === 'polish' && !male ? drawnFamily.replace(/([sc])ki$/, '$1ka') : drawnFamily);
  const areas = o.areas && o.areas.length > 0 ? o.areas : [String(rng.int(3511, 3585))];
  const area = rng.pick(areas);

  const languages = (() => {
    const out = [...rng.pick(names.languages)];
    if (!out.includes('Dutch') && rng.chance(0.9)) out.unshift('Dutch');
    if (!out.includes('English') && rng.chance(0.3)) out.push('English');
    if (rng.chance(0.1)) out.push(rng.pick(['French', 'Spanish', 'Farsi', 'Tigrinya', 'Arabic'] as const));
    return [...new Set(out)].filter((l) => (LANGUAGES as readonly string[]).includes(l));
  })();
  const skills = inSkillOrder(rng.sample(SKILLS, rng.int(2, 5)));
  const availability = randomAvailability(rng, rng.int(2, 5));
  const maxMatches = rng.weighted([[1, 30], [2, 50], [3, 20]]);
  const vog = toDateString(addDays(now, -rng.int(14, 1050)));
  const createdAt = o.createdAt ?? rng.officeHours(addDays(now, -rng.int(30, 900)));

  return make(em, Volunteer, {
    organisation: o.organisation,
    givenName,
    familyName,
    email: (o.email ?? `${slugify(`${givenName} ${familyName}`).replace(/-/g, '.')}.${uniqueSuffix()}@voordeur.test`).toLowerCase(),
    phone: pick(o.phone, () => mobilePhone(rng)),
    postcode: o.postcode ?? postcodeIn(area, rng),
    skills: o.skills ?? skills,
    languages: o.languages ?? languages,
    availability: o.availability ?? availability,
    maxMatches: o.maxMatches ?? maxMatches,
    vogIssuedAt: pick(o.vogIssuedAt, () => vog),
    active: o.active ?? true,
    createdAt,
    updatedAt: createdAt,
  });
}

const REQUEST_NOTES: readonly string[] = [
  'Bewoner zit veel alleen thuis sinds het overlijden van de partner; wil graag iemand om mee te praten.',
  'Moeder wil haar Nederlands verbeteren om zelf met school te kunnen praten.',
  'Post stapelt zich op; met iemand samen kijken geeft rust.',
  'Na de heupoperatie lukt boodschappen doen even niet zelfstandig.',
  'Kinderen zouden baat hebben bij een vast iemand voor huiswerk en buitenspelen.',
  'Durft niet alleen naar afspraken bij instanties; een maatje zou helpen.',
  'Wil graag meer bewegen maar mist iemand om mee te gaan.',
];

export interface InformalCareRequestOverrides extends FactoryOptions {
  /** Its household must be loaded (the postcode area is copied from it). */
  case: Case;
  requestedBy: Staff;
  /** The household member the request is for. */
  resident?: Resident | null;
  team?: Team;
  status?: InformalCareRequestStatus;
  /** From SKILLS. Default: one to three of them. */
  needs?: string[];
  /** Default: the resident's languages (or Dutch). */
  languages?: string[];
  availability?: AvailabilitySlot[];
  note?: string | null;
  /** Default: the first four digits of the household's postcode. */
  postcode4?: string;
  createdAt?: Date;
}

export function buildInformalCareRequest(em: EntityManager, o: InformalCareRequestOverrides): InformalCareRequest {
  const rng = rngOf(o);
  const now = nowOf(o);
  const postcode = o.case.household?.postcode;
  if (!o.postcode4 && typeof postcode !== 'string') throw new Error("buildInformalCareRequest: the case's household must be loaded (or pass `postcode4`)");
  const { from, to } = caseWindow(o.case, now);
  const createdAt = o.createdAt ?? rng.officeTimeBetween(from, to);
  const needs = inSkillOrder(rng.sample(SKILLS, rng.int(1, 3)));
  const residentLanguages = (o.resident?.languages ?? []).filter((l) => (LANGUAGES as readonly string[]).includes(l));
  return make(em, InformalCareRequest, {
    case: o.case,
    resident: o.resident ?? null,
    team: o.team ?? o.case.team,
    status: o.status ?? InformalCareRequestStatus.OPEN,
    needs: o.needs ?? needs,
    languages: o.languages ?? (residentLanguages.length > 0 ? residentLanguages : ['Dutch']),
    availability: o.availability ?? randomAvailability(rng, rng.int(1, 3)),
    note: pick(o.note, () => rng.pick(REQUEST_NOTES)),
    postcode4: o.postcode4 ?? postcode!.slice(0, 4),
    requestedBy: o.requestedBy,
    createdAt,
    updatedAt: createdAt,
  });
}

export interface CaseDiscussionOverrides extends FactoryOptions {
  case: Case;
  /** The team's informal-care ambassador. */
  ambassador: Staff;
  team?: Team;
  discussedAt?: Date;
  informalCarePossible?: boolean;
  note?: string | null;
}

export function buildCaseDiscussion(em: EntityManager, o: CaseDiscussionOverrides): CaseDiscussion {
  const rng = rngOf(o);
  const { from, to } = caseWindow(o.case, nowOf(o));
  const discussedAt = o.discussedAt ?? rng.officeTimeBetween(from, to);
  const possible = o.informalCarePossible ?? rng.chance(0.6);
  return make(em, CaseDiscussion, {
    case: o.case,
    team: o.team ?? o.case.team,
    ambassador: o.ambassador,
    discussedAt,
    informalCarePossible: possible,
    note: pick(o.note, () =>
      possible
        ? rng.pick(['Een maatje voor wekelijks contact lijkt passend; bewoner staat ervoor open.', 'Praktische hulp door een vrijwilliger kan het netwerk ontlasten.'])
        : rng.pick(['Eerst professionele hulp nodig; informele zorg nu nog niet passend.', 'Bewoner wil (nog) geen vrijwilliger over de vloer.']),
    ),
    createdAt: discussedAt,
    updatedAt: discussedAt,
  });
}

export interface VolunteerMatchOverrides extends FactoryOptions {
  request: InformalCareRequest;
  volunteer: Volunteer;
  team?: Team;
  status?: MatchStatus;
  task?: string;
  proposedAt?: Date;
  respondedAt?: Date | null;
  /** For ACTIVE and ENDED; the earlier moments are then placed between the request and this. */
  startedAt?: Date | null;
  endedAt?: Date | null;
  endReason?: string | null;
  /** Usually the team's ambassador. */
  proposedBy?: Staff | null;
}

/**
 * A match with dates coherent with its status: request created ≤ proposed ≤ responded
 * (not for PROPOSED) ≤ started (ACTIVE, ENDED) ≤ ended (ENDED) < now.
 */
export function buildVolunteerMatch(em: EntityManager, o: VolunteerMatchOverrides): VolunteerMatch {
  const rng = rngOf(o);
  const now = nowOf(o);
  const ceil = now.getTime() - HOUR_MS;
  const floor = Math.min(o.request.createdAt.getTime(), ceil);
  const status = o.status ?? MatchStatus.PROPOSED;
  const responded = status !== MatchStatus.PROPOSED;
  const started = status === MatchStatus.ACTIVE || status === MatchStatus.ENDED;
  const ended = status === MatchStatus.ENDED;

  // Gaps in days along the chain: proposed, responded, started, ended.
  const gaps = [rng.int(1, 7) + rng.next(), responded ? 0.2 + rng.next() * 4 : 0, started ? rng.int(3, 14) + rng.next() : 0, ended ? rng.int(30, 150) + rng.next() : 0];
  const startOverride = started ? o.startedAt : undefined;
  let moments: number[];
  if (startOverride) {
    // Proposed and responded shortly before the given start (never before the request); ended after it.
    const s = startOverride.getTime();
    let [g1, g2] = [gaps[0]! * 0.3 + gaps[1]!, gaps[2]!];
    const before = Math.max(0, (s - floor) / DAY_MS);
    if (g1 + g2 > before) {
      const f = (before * (0.6 + 0.3 * rng.next())) / (g1 + g2);
      g1 *= f;
      g2 *= f;
    }
    const end = Math.min(ceil, s + gaps[3]! * DAY_MS);
    moments = [s - (g1 + g2) * DAY_MS, s - g2 * DAY_MS, s, end];
  } else {
    // Forward from the request (or the given proposal), scaled down when it would overshoot now.
    const anchorIndex = o.proposedAt ? 0 : -1;
    const anchor = o.proposedAt ? o.proposedAt.getTime() : floor;
    const total = gaps.reduce((a, g, i) => (i > anchorIndex ? a + g : a), 0);
    const room = Math.max(0, (ceil - anchor) / DAY_MS);
    const f = total > room ? (room * (0.6 + 0.35 * rng.next())) / total : 1;
    let t = anchor;
    moments = gaps.map((g, i) => (i <= anchorIndex ? anchor : (t = Math.min(ceil, t + g * f * DAY_MS))));
  }
  const clamp = (ms: number) => new Date(Math.min(ceil, Math.max(floor, ms)));

  const proposedAt = o.proposedAt ?? clamp(moments[0]!);
  const respondedAt = pick(o.respondedAt, () => (responded ? clamp(Math.max(proposedAt.getTime(), moments[1]!)) : null));
  const startedAt = pick(o.startedAt, () => (started ? clamp(Math.max((respondedAt ?? proposedAt).getTime(), moments[2]!)) : null));
  const endedAt = pick(o.endedAt, () => (ended ? clamp(Math.max(startedAt!.getTime(), moments[3]!)) : null));
  const needs = o.request.needs.filter((n): n is Skill => (SKILLS as readonly string[]).includes(n));
  const task = o.task ?? (needs.length > 0 ? needs.slice(0, 2).map((n) => TASK_BY_SKILL[n]).join('; ') : 'Wekelijks contact en meedenken');

  return make(em, VolunteerMatch, {
    request: o.request,
    volunteer: o.volunteer,
    team: o.team ?? o.request.team,
    status,
    task,
    proposedAt,
    respondedAt,
    startedAt,
    endedAt,
    endReason: pick(o.endReason, () =>
      ended
        ? rng.pick(['Doel bereikt: bewoner gaat nu zelfstandig naar de inloop.', 'Vrijwilliger is verhuisd.', 'Bewoner heeft geen behoefte meer aan contact.'])
        : status === MatchStatus.DECLINED
          ? rng.pick(['Vrijwilliger heeft geen tijd op de gevraagde momenten.', 'Vrijwilliger vindt de afstand te groot.'])
          : null,
    ),
    proposedBy: o.proposedBy ?? null,
    createdAt: proposedAt,
    updatedAt: endedAt ?? startedAt ?? respondedAt ?? proposedAt,
  });
}

export interface MatchCheckInOverrides extends FactoryOptions {
  /** A started match (ACTIVE or ENDED). */
  match: VolunteerMatch;
  recordedBy: Staff;
  /** Default: about a month after the start (the first check-in is due then). */
  at?: Date;
  going?: CheckInGoing;
  note?: string | null;
}

export function buildMatchCheckIn(em: EntityManager, o: MatchCheckInOverrides): MatchCheckIn {
  const rng = rngOf(o);
  const now = nowOf(o);
  const start = (o.match.startedAt ?? o.match.proposedAt).getTime();
  const end = Math.max(start, Math.min(now.getTime() - HOUR_MS, o.match.endedAt?.getTime() ?? Infinity));
  const at = o.at ?? new Date(Math.min(end, Math.max(start, rng.officeHours(addDays(new Date(start), rng.int(28, 35))).getTime())));
  const going =
    o.going ??
    (o.match.status === MatchStatus.ENDED
      ? rng.weighted([[CheckInGoing.GOOD, 60], [CheckInGoing.CONCERN, 25], [CheckInGoing.STOPPED, 15]])
      : rng.weighted([[CheckInGoing.GOOD, 75], [CheckInGoing.CONCERN, 25]]));
  return make(em, MatchCheckIn, {
    match: o.match,
    at,
    going,
    note: pick(o.note, () =>
      going === CheckInGoing.GOOD
        ? rng.pick(['Klikt goed; ze spreken elke week af.', 'Bewoner kijkt uit naar de bezoekjes.'])
        : going === CheckInGoing.CONCERN
          ? rng.pick(['Afspraken gaan soms niet door; ambassadeur belt over twee weken opnieuw.', 'Vrijwilliger twijfelt of de hulpvraag bij haar past.'])
          : 'Contact is gestopt; beide partijen zijn gebeld.',
    ),
    recordedBy: o.recordedBy,
    createdAt: at,
    updatedAt: at,
  });
}
