/** The id a parked partner record is kept under (src/jobs/sync.ts). */
import { describe, expect, it } from 'vitest';
import { parkedId } from '../../src/jobs/sync.js';

describe('parkedId', () => {
  it('keeps an id the intake would take as it is, and no id as none', () => {
    expect(parkedId('SR-2015/0001:a.b_c')).toBe('SR-2015/0001:a.b_c');
    expect(parkedId(null)).toBeNull();
  });

  it('keeps an id it could not store (a NUL, spaces, a megabyte) as a digest: never the value, the same every time', () => {
    for (const raw of ['Nul\u0000id', ' SR-1 ', 'x'.repeat(1_000_000), 'Jansje de Vries']) {
      const id = parkedId(raw)!;
      expect(id).toMatch(/^sha256:[0-9a-f]{32}$/);
      expect(parkedId(raw)).toBe(id);
    }
    expect(parkedId('Jansje de Vries')).not.toBe(parkedId('Jansje de Vries '));
  });
});
