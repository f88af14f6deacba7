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
