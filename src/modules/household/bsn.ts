import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The BSN (burgerservicenummer) is validated with the elfproef, stored only encrypted
 * (AES-256-GCM) plus a keyed hash for look-ups, and never returned by the API.
 */
export function isValidBsn(raw: string): boolean {
  if (!/^\d{8,9}$/.test(raw)) return false;
  const bsn = raw.padStart(9, '0');
  if (/^0+$/.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(bsn[i]) * (9 - i);
  sum -= Number(bsn[8]);
  return sum % 11 === 0;
}

export function normaliseBsn(raw: string): string {
  return raw.replace(/[\s.]/g, '').padStart(9, '0');
}

function keys(secret: string) {
  return {
    enc: createHash('sha256').update(`enc:${secret}`).digest(),
    mac: createHash('sha256').update(`mac:${secret}`).digest(),
  };
}

export function encryptBsn(bsn: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys(secret).enc, iv);
  const ct = Buffer.concat([cipher.update(bsn, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

export function decryptBsn(stored: string, secret: string): string {
  const [version, iv, tag, ct] = stored.split(':');
  if (version !== 'v1' || !iv || !tag || !ct) throw new Error('unknown BSN ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', keys(secret).enc, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
}

export function hashBsn(bsn: string, secret: string): string {
  return createHmac('sha256', keys(secret).mac).update(bsn).digest('hex');
}

/** A deterministic valid BSN for seeds and tests: 8 digits from `n`, check digit by the elfproef. */
export function makeBsn(n: number): string {
  const base = String(100000000 + (Math.abs(n) % 89999999)).slice(1, 9).padStart(8, '1');
  for (let last = 0; last <= 9; last++) {
    const candidate = base + String(last);
    if (isValidBsn(candidate)) return candidate;
  }
  return makeBsn(n + 1);
}
