/**
 * Made-up people for the simulators' demo trickle: names from short lists, postcodes in the
 * areas of data/teams.json (so every record routes to a team), valid BSNs now and then.
 */
import { readFileSync } from 'node:fs';
import { makeBsn } from '../src/modules/household/bsn.js';

const GIVEN = ['Anna', 'Mohamed', 'Fatima', 'Jan', 'Sanne', 'Yusuf', 'Emma', 'Ahmet', 'Noor', 'Pieter', 'Aylin', 'Daan', 'Khadija', 'Sem'];
const FAMILY = ['de Vries', 'El Amrani', 'Yilmaz', 'Jansen', 'Bakker', 'Bouzid', 'Visser', 'Kaya', 'Smit', 'de Jong', 'Ouali', 'Mulder'];
const STREETS = ['Oudenoord', 'Amsterdamsestraatweg', 'Kanaalstraat', 'Vleutenseweg', 'Biltstraat', 'Europalaan', 'Marnixlaan'];
const REASONS = [
  'Eenzaamheid en weinig sociaal netwerk.',
  'Schulden en stress over rekeningen.',
  'Overbelaste mantelzorger.',
  'Moeite met dagstructuur na ontslag.',
  'Opvoedvragen en spanningen thuis.',
];

let areas: string[] | null = null;
function postcodeAreas(): string[] {
  if (!areas) {
    const data = JSON.parse(readFileSync(new URL('../data/teams.json', import.meta.url), 'utf8')) as { teams: { postcodes: string[] }[] };
    areas = data.teams.flatMap((t) => t.postcodes);
  }
  return areas;
}

let seq = 0;
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

export interface DemoPerson {
  givenName: string;
  familyName: string;
  birthDate: string;
  postcode: string;
  street: string;
  houseNumber: string;
  bsn: string | null;
  phone: string | null;
  reason: string;
}

export function demoPerson(): DemoPerson {
  seq++;
  const letters = 'ABCDEGHJKLMNPRTVWXZ';
  const year = 1940 + Math.floor(Math.random() * 65);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  return {
    givenName: pick(GIVEN),
    familyName: pick(FAMILY),
    birthDate: `${year}-${month}-${day}`,
    postcode: `${pick(postcodeAreas())}${pick([...letters])}${pick([...letters])}`,
    street: pick(STREETS),
    houseNumber: String(1 + Math.floor(Math.random() * 240)),
    bsn: Math.random() < 0.3 ? makeBsn(Date.now() % 1_000_000 + seq * 7919) : null,
    phone: Math.random() < 0.7 ? `06-${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}` : null,
    reason: pick(REASONS),
  };
}

export { pick };
