/**
 * The controlled vocabulary of informal care: what a volunteer offers (skills) and what a
 * resident needs are drawn from the same slugs, and languages use the same English names
 * for residents, requests and volunteers, so matching can compare them as plain strings.
 */

/** Skills of volunteers and needs of informal-care requests (English slugs). */
export const SKILLS = [
  'shopping',
  'company',
  'walking',
  'paperwork',
  'language-practice',
  'transport',
  'odd-jobs',
  'gardening',
  'cooking',
  'digital-skills',
  'child-activities',
  'administration',
  'accompany-appointments',
  'sports',
  'reading',
] as const;

export type Skill = (typeof SKILLS)[number];

/** Languages, by their English name. */
export const LANGUAGES = [
  'Dutch',
  'Arabic',
  'Turkish',
  'Tamazight',
  'English',
  'Polish',
  'Papiamento',
  'Somali',
  'Tigrinya',
  'French',
  'Spanish',
  'Farsi',
] as const;

export type Language = (typeof LANGUAGES)[number];

export function isSkill(value: string): value is Skill {
  return (SKILLS as readonly string[]).includes(value);
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** The default task text of a match, per need (Dutch: the volunteer reads it). */
export const TASK_BY_NEED: Record<Skill, string> = {
  shopping: 'Wekelijks samen boodschappen doen',
  company: 'Eens per week op de koffie en een praatje',
  walking: 'Samen een wandeling maken in de wijk',
  paperwork: 'Samen de post en papieren doornemen',
  'language-practice': 'Nederlands oefenen in gewone gesprekken',
  transport: 'Vervoer naar afspraken of activiteiten',
  'odd-jobs': 'Kleine klusjes in huis',
  gardening: 'Helpen in de tuin of op het balkon',
  cooking: 'Samen koken en een maaltijd delen',
  'digital-skills': 'Helpen met de telefoon, DigiD en online formulieren',
  'child-activities': 'Activiteiten met de kinderen, bijvoorbeeld huiswerk of buitenspelen',
  administration: 'Meehelpen het huishoudboekje bij te houden',
  'accompany-appointments': 'Meegaan naar afspraken bij instanties of de huisarts',
  sports: 'Samen sporten of bewegen',
  reading: 'Samen lezen of voorlezen',
};

/** The default task of a match for these needs (the first two). */
export function defaultTask(needs: readonly string[]): string {
  const known = needs.filter(isSkill);
  return known.length > 0 ? known.slice(0, 2).map((n) => TASK_BY_NEED[n]).join('; ') : 'Wekelijks contact en meedenken';
}

/** A skill as a person reads it: "language-practice" → "language practice". */
export function skillLabel(skill: string): string {
  return skill.replace(/-/g, ' ');
}
