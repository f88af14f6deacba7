/**
 * The common part of the partner simulators: a real HTTP server on loopback with switchable
 * faults (slow answers, 429 with Retry-After, 5xx, an outage), idempotency-key dedupe, and a
 * record of every effect it received, so tests can assert exactly-once and consent-respecting
 * contents. Control endpoint: POST /_control/faults, GET /_control/received, POST /_control/reset.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OneShotFault {
  status: number;
  /** Only requests whose path contains this (default: any request). */
  match?: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many requests get this answer (default 1). */
  count?: number;
}

export interface Faults {
  /** Delay before answering, ms. */
  slowMs: number;
  /** Delay after an effect was recorded and before the answer (a caller killed meanwhile retries). */
  slowAfterEffectMs: number;
  /** While set, every request is answered with this status (an outage). */
  down: number | null;
  /** Retry-After (s) sent with `down`. */
  downRetryAfter: number | null;
  /** Answers for the next matching requests. */
  failNext: OneShotFault[];
  /** Every n-th generated record is malformed (0: off). */
  malformedEvery: number;
  /** Pages repeat every record (at-least-once feeds). */
  duplicates: boolean;
}

export const NO_FAULTS: Faults = {
  slowMs: 0,
  slowAfterEffectMs: 0,
  down: null,
  downRetryAfter: null,
  failNext: [],
  malformedEvery: 0,
  duplicates: false,
};

export interface Effect {
  idempotencyKey: string;
  method: string;
  path: string;
  body: unknown;
  at: Date;
}

export interface SimulatorOptions {
  faults?: Partial<Faults>;
}

export type RouteResult = { status: number; body: unknown; headers?: Record<string, string> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export abstract class Simulator {
  readonly server: http.Server;
  faults: Faults;
  /** Effects, one per idempotency key (what the partner "saw"). */
  readonly effects: Effect[] = [];
  /** Calls that carried an idempotency key already seen (answered from memory, no effect). */
  replays = 0;
  /** Every request, faults included. */
  requests = 0;
  private readonly byKey = new Map<string, RouteResult>();
  url = '';

  constructor(readonly partner: string, opts: SimulatorOptions = {}) {
    this.faults = { ...NO_FAULTS, failNext: [], ...opts.faults };
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.stopDemo();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  setFaults(faults: Partial<Faults>): void {
    this.faults = { ...this.faults, ...faults, failNext: faults.failNext ? [...faults.failNext] : this.faults.failNext };
  }

  clearFaults(): void {
    this.faults = { ...NO_FAULTS, failNext: [] };
  }

  /** Effects whose path contains `fragment`. */
  effectsFor(fragment: string): Effect[] {
    return this.effects.filter((e) => e.path.includes(fragment));
  }

  private demoTimer: NodeJS.Timeout | null = null;

  /** Adds a demo record every `intervalMs` (the trickle `npm start` shows). */
  startDemo(intervalMs: number): void {
    if (intervalMs <= 0 || this.demoTimer) return;
    this.demoTimer = setInterval(() => this.addDemoRecord(), intervalMs);
    this.demoTimer.unref();
  }

  stopDemo(): void {
    if (this.demoTimer) clearInterval(this.demoTimer);
    this.demoTimer = null;
  }

  abstract addDemoRecord(): void;
  protected abstract route(method: string, url: URL, body: unknown): RouteResult | null;
  /** Called for a new idempotency key: applies the effect and returns the answer. */
  protected abstract effect(method: string, url: URL, body: unknown): RouteResult;
  /** Which requests change state (and so need an idempotency key). */
  protected abstract isEffect(method: string, url: URL): boolean;
  protected abstract resetData(): void;

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, { status: 400, body: { error: 'body is not JSON' } });
      }
    }

    if (url.pathname.startsWith('/_control')) return send(res, this.control(req.method ?? 'GET', url, body));

    this.requests++;
    const f = this.faults;
    if (f.slowMs > 0) await sleep(f.slowMs);
    if (f.down !== null) {
      return send(res, { status: f.down, body: { error: 'unavailable' }, headers: f.downRetryAfter !== null ? { 'retry-after': String(f.downRetryAfter) } : {} });
    }
    const i = f.failNext.findIndex((x) => !x.match || url.pathname.includes(x.match));
    if (i >= 0) {
      const fault = f.failNext[i]!;
      const left = (fault.count ?? 1) - 1;
      if (left > 0) f.failNext[i] = { ...fault, count: left };
      else f.failNext.splice(i, 1);
      return send(res, {
        status: fault.status,
        body: { error: `simulated ${fault.status}` },
        headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {},
      });
    }

    const method = req.method ?? 'GET';
    if (this.isEffect(method, url)) {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !key) return send(res, { status: 400, body: { error: 'Idempotency-Key header required' } });
      const seen = this.byKey.get(key);
      if (seen) {
        this.replays++;
        return send(res, { ...seen, headers: { ...seen.headers, 'idempotent-replayed': 'true' } });
      }
      const result = this.effect(method, url, body);
      if (result.status >= 200 && result.status < 300) {
        this.byKey.set(key, result);
        this.effects.push({ idempotencyKey: key, method, path: url.pathname, body, at: new Date() });
        if (f.slowAfterEffectMs > 0) await sleep(f.slowAfterEffectMs);
      }
      return send(res, result);
    }
    const result = this.route(method, url, body);
    return send(res, result ?? { status: 404, body: { error: 'not found' } });
  }

  private control(method: string, url: URL, body: unknown): RouteResult {
    if (url.pathname === '/_control/faults' && method === 'POST') {
      if (body && typeof body === 'object' && (body as { clear?: boolean }).clear) this.clearFaults();
      else this.setFaults((body ?? {}) as Partial<Faults>);
      return { status: 200, body: this.faults };
    }
    if (url.pathname === '/_control/faults') return { status: 200, body: this.faults };
    if (url.pathname === '/_control/received') {
      return { status: 200, body: { effects: this.effects, replays: this.replays, requests: this.requests } };
    }
    if (url.pathname === '/_control/records' && method === 'POST') {
      const n = Math.min(10_000, Number((body as { count?: number } | undefined)?.count ?? 1));
      for (let k = 0; k < n; k++) this.addDemoRecord();
      return { status: 200, body: { added: n } };
    }
    if (url.pathname === '/_control/reset' && method === 'POST') {
      this.effects.length = 0;
      this.byKey.clear();
      this.replays = 0;
      this.requests = 0;
      this.clearFaults();
      this.resetData();
      return { status: 200, body: { reset: true } };
    }
    return { status: 404, body: { error: 'unknown control endpoint' } };
  }
}

function send(res: http.ServerResponse, r: RouteResult) {
  res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
  res.end(JSON.stringify(r.body));
}
