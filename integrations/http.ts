/**
 * HTTP plumbing shared by the partner clients: timeouts, Retry-After, and one error type
 * that tells the job system whether retrying can help. Messages name the partner and the
 * HTTP status only — never anything from the request or response body.
 */
export class PartnerError extends Error {
  override readonly name = 'PartnerError';
  constructor(
    readonly partner: string,
    message: string,
    /** HTTP status, when the partner answered. */
    readonly status: number | null,
    /** Whether a later attempt can succeed (5xx, 408, 429, network trouble). */
    readonly retryable: boolean,
    /** The partner's Retry-After, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const RETRYABLE_4XX = new Set([408, 425, 429]);

export interface PartnerRequest {
  partner: string;
  method: 'GET' | 'PUT' | 'POST';
  url: string;
  timeoutMs: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The most of the answer that is read (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}

/** The most of one answer that is read: a broken or hostile partner must not fill the memory. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The body as text, or null once it grows past `limit` bytes (the rest is not read). */
async function readLimited(res: Response, limit: number): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  // Decoded as res.text() would: UTF-8, a leading byte order mark dropped (some partner systems send one).
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Sends one request; resolves with the parsed JSON body of a 2xx answer, else throws PartnerError. */
export async function partnerRequest(req: PartnerRequest): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: {
        accept: 'application/json',
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...req.headers,
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (e) {
    const timeout = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError';
    throw new PartnerError(req.partner, `${req.partner}: ${timeout ? `no answer within ${req.timeoutMs} ms` : 'connection failed'}`, null, true);
  }
  const limit = req.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const text = await readLimited(res, limit).catch(() => '');
  if (text === null) {
    throw new PartnerError(req.partner, `${req.partner}: answer larger than ${limit} bytes (HTTP ${res.status})`, res.status, false);
  }
  if (res.status >= 200 && res.status < 300) {
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new PartnerError(req.partner, `${req.partner}: answer is not JSON (HTTP ${res.status})`, res.status, true);
    }
  }
  const retryable = res.status >= 500 || RETRYABLE_4XX.has(res.status);
  throw new PartnerError(
    req.partner,
    `${req.partner} answered HTTP ${res.status}${retryable ? '' : ' (not retryable)'}`,
    res.status,
    retryable,
    parseRetryAfter(res.headers.get('retry-after')),
  );
}

/** A next-page link must stay on the partner's own origin (never follow a link elsewhere). */
export function sameOrigin(base: string, link: string): boolean {
  try {
    return new URL(link, base).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/** Names the fields and rules a zod error broke — never the values (parked-record reasons). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; code: string; message?: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.code}`)
    .join('; ');
}
