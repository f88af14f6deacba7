/**
 * node --import tsx scripts/postcode4-centroids.ts
 *
 * Writes data/postcode4-centroids.json: a centroid (lat/lon) for every postcode area of
 * data/teams.json. The coordinates are SYNTHESISED, not surveyed: each district gets a
 * plausible centre around Utrecht (52.09 N, 5.12 E) and each area a small deterministic
 * offset from it (a hash of the postcode), so distances between areas are realistic in
 * size and identical on every run. No network is used.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const DISTRICT_CENTRES: Record<string, [number, number]> = {
  Overvecht: [52.1175, 5.1130],
  Noordwest: [52.1070, 5.0990],
  West: [52.0930, 5.0950],
  Zuidwest: [52.0740, 5.1010],
  Zuid: [52.0730, 5.1340],
  Binnenstad: [52.0907, 5.1214],
  Oost: [52.0870, 5.1500],
  Noordoost: [52.1030, 5.1380],
  'Leidsche Rijn': [52.0960, 5.0600],
  'Vleuten-De Meern': [52.0880, 5.0100],
};
const CITY_CENTRE: [number, number] = [52.09, 5.12];

/** A number in [-1, 1) from the postcode and a salt: deterministic jitter. */
function jitter(postcode: string, salt: string): number {
  const h = createHash('sha256').update(`${salt}:${postcode}`).digest();
  return h.readUInt32BE(0) / 2 ** 31 - 1;
}

const teams = JSON.parse(readFileSync(new URL('../data/teams.json', import.meta.url), 'utf8')) as {
  teams: { code: string; district: string | null; postcodes: string[] }[];
};
const centroids: Record<string, { lat: number; lon: number }> = {};
for (const team of teams.teams) {
  const [lat, lon] = (team.district && DISTRICT_CENTRES[team.district]) || CITY_CENTRE;
  for (const pc of [...team.postcodes].sort()) {
    // Up to ~0.9 km north/south and ~0.9 km east/west of the district centre.
    centroids[pc] = {
      lat: Math.round((lat + jitter(pc, 'lat') * 0.008) * 1e5) / 1e5,
      lon: Math.round((lon + jitter(pc, 'lon') * 0.013) * 1e5) / 1e5,
    };
  }
}
const sorted = Object.fromEntries(Object.entries(centroids).sort(([a], [b]) => a.localeCompare(b)));
const out = {
  about:
    'Synthesised centroids (WGS84 lat/lon) of the postcode areas in data/teams.json, for distances in volunteer matching. Plausible but not surveyed: district centres around Utrecht plus a deterministic per-postcode offset. Regenerate with node --import tsx scripts/postcode4-centroids.ts.',
  centroids: sorted,
};
writeFileSync(new URL('../data/postcode4-centroids.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(sorted).length} centroids\n`);
