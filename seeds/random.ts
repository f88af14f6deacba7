/**
 * A small seeded pseudo-random generator for seeds and tests. Math.random is never used:
 * the same seed always yields the same data set.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** mulberry32: a 32-bit PRNG, fast and good enough for demo data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives a 32-bit seed from a string (FNV-1a), so sub-generators can be named. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private readonly nextFloat: () => number;

  constructor(seed: number | string = 20150401) {
    this.nextFloat = mulberry32(typeof seed === 'string' ? seedFromString(seed) : seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextFloat();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) [min, max] = [max, min];
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** A new array in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** n distinct items (or all of them when n is larger). */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, n));
  }

  /** A string of `n` random characters from `alphabet`. */
  chars(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /** A string of `n` random decimal digits. */
  digits(n: number): string {
    return this.chars(n, '0123456789');
  }

  /** A moment uniformly between `from` and `to` (inclusive of from, exclusive of to). */
  dateBetween(from: Date, to: Date): Date {
    const a = from.getTime();
    const b = to.getTime();
    return new Date(Math.floor(a + this.next() * Math.max(0, b - a)));
  }

  /** A moment `minDays`..`maxDays` days after `from` (fractional days, so times vary too). */
  daysAfter(from: Date, minDays: number, maxDays: number): Date {
    return new Date(from.getTime() + (minDays + this.next() * (maxDays - minDays)) * DAY_MS);
  }

  /** A moment during office hours (07:00–16:59 UTC, 08:00–17:59 in Utrecht) on the same date as `d`. */
  officeHours(d: Date): Date {
    const out = new Date(d.getTime());
    out.setUTCHours(7 + this.int(0, 9), this.int(0, 59), this.int(0, 59), 0);
    return out;
  }

  /** A moment during office hours between `from` and `to`, clamped into that range. */
  officeTimeBetween(from: Date, to: Date): Date {
    const t = this.officeHours(this.dateBetween(from, to)).getTime();
    return new Date(Math.min(Math.max(t, from.getTime()), Math.max(from.getTime(), to.getTime())));
  }

  /** A child generator with its own stream, so adding data in one place does not shift another. */
  fork(label: string): Rng {
    return new Rng(seedFromString(`${label}:${this.int(0, 0x7fffffff)}`));
  }
}

export function createRng(seed: number | string = 20150401): Rng {
  return new Rng(seed);
}

/** `YYYY-MM-DD` of a Date (UTC), the shape of `type: 'date'` properties. */
export function toDateString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

export function daysBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / DAY_MS;
}

export function minDate(...dates: Date[]): Date {
  return new Date(Math.min(...dates.map((d) => d.getTime())));
}

export { DAY_MS };
