/**
 * A housing corporation's arrears-signal system for tests, demos and benchmarks:
 *   GET  /signals?since=<cursor>&limit=N   → { signals, nextCursor, hasMore }
 *   POST /signals/<id>/feedback {status}   (Idempotency-Key header; folded statuses only)
 * plus the control endpoints and faults of sim-core.ts.
 */
import { randomUUID } from 'node:crypto';
import { demoPerson, pick } from '../demo-data.js';
import { Simulator, type RouteResult, type SimulatorOptions } from '../sim-core.js';
import { FEEDBACK_STATUSES } from './schemas.js';

export const DEMO_CORPORATIONS = ['corp-mitros', 'corp-portaal'];

export interface SignalSpec {
  id?: string;
  corporation?: string;
  givenName?: string;
  familyName?: string;
  birthDate?: string | null;
  postcode?: string;
  houseNumber?: string;
  amount?: number;
  since?: string;
  months?: number | null;
}

export class CorporationSimulator extends Simulator {
  private signals: { seq: number; signal: Record<string, unknown> }[] = [];
  readonly feedback = new Map<string, string>();
  private seq = 0;
  private generated = 0;

  constructor(opts: SimulatorOptions = {}) {
    super('corporation', opts);
  }

  get size(): number {
    return this.signals.length;
  }

  addSignal(spec: SignalSpec = {}): Record<string, unknown> {
    const p = demoPerson();
    const months = spec.months === undefined ? 2 + Math.floor(Math.random() * 4) : spec.months;
    const since = new Date(Date.now() - (months ?? 2) * 31 * 86_400_000).toISOString().slice(0, 10);
    const signal = {
      id: spec.id ?? `VS-${randomUUID().slice(0, 8)}`,
      corporation: spec.corporation ?? pick(DEMO_CORPORATIONS),
      reportedAt: new Date().toISOString(),
      tenant: {
        givenName: spec.givenName ?? p.givenName,
        familyName: spec.familyName ?? p.familyName,
        birthDate: spec.birthDate === undefined ? (Math.random() < 0.5 ? p.birthDate : null) : spec.birthDate,
        postcode: spec.postcode ?? p.postcode,
        houseNumber: spec.houseNumber ?? p.houseNumber,
      },
      arrears: { amount: spec.amount ?? 250 + Math.floor(Math.random() * 40) * 50, since: spec.since ?? since, months },
      consentObtained: false,
    };
    this.signals.push({ seq: ++this.seq, signal });
    return signal;
  }

  addRaw(signal: Record<string, unknown>): void {
    this.signals.push({ seq: ++this.seq, signal });
  }

  addDemoRecord(): void {
    this.generated++;
    const every = this.faults.malformedEvery;
    const s = this.addSignal();
    if (every > 0 && this.generated % every === 0) (s.arrears as Record<string, unknown>).amount = 'lots';
  }

  protected resetData(): void {
    this.signals = [];
    this.feedback.clear();
  }

  protected isEffect(method: string, url: URL): boolean {
    return method === 'POST' && /^\/signals\/[^/]+\/feedback$/.test(url.pathname);
  }

  protected effect(_method: string, url: URL, body: unknown): RouteResult {
    const id = decodeURIComponent(url.pathname.split('/')[2]!);
    const status = (body as { status?: string } | undefined)?.status;
    const keys = body && typeof body === 'object' ? Object.keys(body) : [];
    if (!FEEDBACK_STATUSES.includes(status as never) || keys.some((k) => k !== 'status')) {
      return { status: 400, body: { error: 'feedback is { status } with a folded status' } };
    }
    this.feedback.set(id, status!);
    return { status: 200, body: { id, status } };
  }

  protected route(method: string, url: URL): RouteResult | null {
    if (method !== 'GET' || url.pathname !== '/signals') return null;
    const since = Number(url.searchParams.get('since') ?? 0) || 0;
    const limit = Math.max(1, Math.min(500, Number(url.searchParams.get('limit') ?? 50)));
    const after = this.signals.filter((s) => s.seq > since);
    const page = after.slice(0, limit);
    const served = this.faults.duplicates ? page.flatMap((s) => [s, s]) : page;
    return {
      status: 200,
      body: {
        signals: served.map((s) => s.signal),
        nextCursor: page.length ? String(page[page.length - 1]!.seq) : since ? String(since) : null,
        hasMore: after.length > limit,
      },
    };
  }
}
