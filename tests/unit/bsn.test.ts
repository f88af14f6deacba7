/** BSN: the elfproef, encryption at rest and the keyed hash. */
import { describe, expect, it } from 'vitest';
import { decryptBsn, encryptBsn, hashBsn, isValidBsn, makeBsn, normaliseBsn } from '../../src/modules/household/bsn.js';

const KEY = 'unit-test-bsn-key-0123456789abcdef0123456789';
const OTHER_KEY = 'another-unit-test-bsn-key-0123456789abcdef01';

describe('elfproef', () => {
  it.each(['111222333', '123456782', '999999990', '100000009'])('accepts the valid BSN %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });

  it.each([
    ['123456789', 'fails the elfproef'],
    ['111222334', 'wrong check digit'],
    ['000000000', 'all zeros'],
    ['00000000', 'all zeros, 8 digits'],
    ['abcdefghi', 'letters'],
    ['12345678a', 'a letter at the end'],
    ['1234567890', '10 digits'],
    ['1112223330', '10 digits whose first nine are valid'],
    ['1234567', '7 digits'],
    ['', 'empty'],
    ['111 222 333', 'unnormalised spaces'],
    ['-11222333', 'a sign'],
  ])('rejects %j (%s)', (bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
  });

  it('normalises spaces and dots and pads 8-digit numbers', () => {
    expect(normaliseBsn('111 222 333')).toBe('111222333');
    expect(normaliseBsn('111.222.333')).toBe('111222333');
    expect(normaliseBsn('12345672')).toBe('012345672');
    expect(isValidBsn(normaliseBsn('111.222.333'))).toBe(true);
  });

  it('makeBsn produces valid, deterministic BSNs', () => {
    for (let n = 0; n < 500; n++) {
      const bsn = makeBsn(n * 7919 + 12_345_678);
      expect(bsn).toMatch(/^\d{9}$/);
      expect(isValidBsn(bsn), bsn).toBe(true);
    }
    expect(makeBsn(42)).toBe(makeBsn(42));
  });
});

describe('encryption at rest', () => {
  const bsn = '111222333';

  it('round-trips', () => {
    expect(decryptBsn(encryptBsn(bsn, KEY), KEY)).toBe(bsn);
    expect(decryptBsn(encryptBsn('123456782', KEY), KEY)).toBe('123456782');
  });

  it('gives a different ciphertext each time, never containing the BSN', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const ct = encryptBsn(bsn, KEY);
      expect(ct).not.toContain(bsn);
      expect(ct).not.toContain(Buffer.from(bsn).toString('base64'));
      expect(ct).not.toContain(Buffer.from(bsn).toString('hex'));
      seen.add(ct);
    }
    expect(seen.size).toBe(20);
  });

  it('does not decrypt with another key nor after tampering', () => {
    const ct = encryptBsn(bsn, KEY);
    expect(() => decryptBsn(ct, OTHER_KEY)).toThrow();
    const parts = ct.split(':');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 0xff;
    parts[3] = body.toString('base64');
    expect(() => decryptBsn(parts.join(':'), KEY)).toThrow();
    expect(() => decryptBsn('not-a-ciphertext', KEY)).toThrow();
  });

  it('hashes deterministically per key without revealing the BSN', () => {
    const h = hashBsn(bsn, KEY);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).toBe(hashBsn(bsn, KEY));
    expect(h).not.toContain(bsn);
    expect(h).not.toBe(hashBsn(bsn, OTHER_KEY));
    expect(h).not.toBe(hashBsn('123456782', KEY));
  });
});
