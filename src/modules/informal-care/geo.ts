import { readFileSync } from 'node:fs';

/**
 * Centroids of the city's postcode areas (data/postcode4-centroids.json: synthesised, see
 * scripts/postcode4-centroids.ts) and the distance between two areas. Loaded once per process.
 */
interface Centroid {
  lat: number;
  lon: number;
}

let centroids: ReadonlyMap<string, Centroid> | undefined;

function table(): ReadonlyMap<string, Centroid> {
  if (!centroids) {
    const file = JSON.parse(readFileSync(new URL('../../../data/postcode4-centroids.json', import.meta.url), 'utf8')) as {
      centroids: Record<string, Centroid>;
    };
    centroids = new Map(Object.entries(file.centroids));
  }
  return centroids;
}

export function centroidOf(postcode4: string): Centroid | null {
  return table().get(postcode4) ?? null;
}

/** Great-circle distance in km between the centroids of two postcode areas; null when either is unknown. */
export function distanceKm(postcode4a: string, postcode4b: string): number | null {
  const a = centroidOf(postcode4a);
  const b = centroidOf(postcode4b);
  if (!a || !b) return null;
  if (postcode4a === postcode4b) return 0;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Every postcode area with a centroid. */
export function knownAreas(): string[] {
  return [...table().keys()];
}
