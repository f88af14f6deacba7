/** Typed client of a housing corporation's arrears-signal system. */
import { PartnerError, partnerRequest } from '../http.js';
import { SignalPageSchema } from './schemas.js';

export const CORPORATION = 'corporation';

export class CorporationClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: { timeoutMs: number } = { timeoutMs: 10_000 },
  ) {}

  /** Signals after `since` (the partner's sequence cursor), oldest first. */
  async fetchSignals(since: string | null, limit: number): Promise<{ signals: unknown[]; nextCursor: string | null; hasMore: boolean }> {
    const u = new URL('/signals', this.baseUrl);
    if (since) u.searchParams.set('since', since);
    u.searchParams.set('limit', String(limit));
    const body = await partnerRequest({ partner: CORPORATION, method: 'GET', url: u.toString(), timeoutMs: this.opts.timeoutMs });
    const page = SignalPageSchema.safeParse(body);
    if (!page.success) throw new PartnerError(CORPORATION, `${CORPORATION}: answer is not a signal page`, 200, true);
    return page.data;
  }

  /** POST /signals/<id>/feedback { status }; the idempotency key makes a retry have its effect once. */
  async postFeedback(signalId: string, feedback: { status: string }, idempotencyKey: string): Promise<void> {
    await partnerRequest({
      partner: CORPORATION,
      method: 'POST',
      url: new URL(`/signals/${encodeURIComponent(signalId)}/feedback`, this.baseUrl).toString(),
      timeoutMs: this.opts.timeoutMs,
      body: feedback,
      headers: { 'idempotency-key': idempotencyKey },
    });
  }
}
