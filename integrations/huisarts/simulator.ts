/**
 * A GP system (FHIR R4 flavour) for tests, demos and benchmarks:
 *   GET /ServiceRequest?_lastUpdated=gt<instant>&_count=N[&_offset=K]  → searchset Bundle with a next link
 *   PUT /Task/<id>  (Idempotency-Key header; status accepted|in-progress|completed|rejected|cancelled)
 * plus the control endpoints and faults of sim-core.ts.
 */
import { randomUUID } from 'node:crypto';
import { demoPerson, pick } from '../demo-data.js';
import { Simulator, type RouteResult, type SimulatorOptions } from '../sim-core.js';
import { AGB_SYSTEM, BSN_SYSTEM, CONSENT_EXTENSION, HOUSE_NUMBER_EXTENSION, ORGANISATION_CODE_SYSTEM, TASK_STATUSES } from './schemas.js';

/** Practices of the demo seed: by AGB code or by organisation code. */
export const DEMO_REQUESTERS = [
  { system: AGB_SYSTEM, value: '01051234' }, // gp-de-linde
  { system: ORGANISATION_CODE_SYSTEM, value: 'gp-overvecht' },
  { system: AGB_SYSTEM, value: '01053390' }, // gp-lombok
  { system: ORGANISATION_CODE_SYSTEM, value: 'gp-de-linde' },
];

export interface ServiceRequestSpec {
  id?: string;
  requester?: { system: string; value: string };
  givenName?: string;
  familyName?: string;
  birthDate?: string;
  postcode?: string;
  houseNumber?: string;
  bsn?: string | null;
  phone?: string | null;
  reason?: string;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat';
  consentObtained?: boolean;
  status?: string;
}

interface Stored {
  lastUpdated: string;
  resource: Record<string, unknown>;
}

export class HuisartsSimulator extends Simulator {
  private records: Stored[] = [];
  readonly tasks = new Map<string, unknown>();
  private lastMs = 0;
  private generated = 0;

  constructor(opts: SimulatorOptions = {}) {
    super('huisarts', opts);
  }

  get size(): number {
    return this.records.length;
  }

  private nextInstant(): string {
    this.lastMs = Math.max(Date.now(), this.lastMs + 1);
    return new Date(this.lastMs).toISOString();
  }

  /** Adds (or, with a known id, updates) a ServiceRequest; returns the resource. */
  addServiceRequest(spec: ServiceRequestSpec = {}): Record<string, unknown> {
    const p = demoPerson();
    const id = spec.id ?? `SR-${randomUUID().slice(0, 8)}`;
    const lastUpdated = this.nextInstant();
    const resource = {
      resourceType: 'ServiceRequest',
      id,
      meta: { lastUpdated },
      status: spec.status ?? 'active',
      intent: 'order',
      priority: spec.priority ?? 'routine',
      requester: { identifier: spec.requester ?? pick(DEMO_REQUESTERS) },
      subject: { reference: '#patient' },
      contained: [
        {
          resourceType: 'Patient',
          id: 'patient',
          identifier: (spec.bsn === undefined ? p.bsn : spec.bsn) ? [{ system: BSN_SYSTEM, value: spec.bsn ?? p.bsn! }] : [],
          name: [{ family: spec.familyName ?? p.familyName, given: [spec.givenName ?? p.givenName] }],
          birthDate: spec.birthDate ?? p.birthDate,
          telecom: (spec.phone === undefined ? p.phone : spec.phone) ? [{ system: 'phone', value: spec.phone ?? p.phone! }] : [],
          address: [
            {
              line: [`${p.street} ${spec.houseNumber ?? p.houseNumber}`],
              postalCode: spec.postcode ?? p.postcode,
              extension: [{ url: HOUSE_NUMBER_EXTENSION, valueString: spec.houseNumber ?? p.houseNumber }],
            },
          ],
        },
      ],
      reasonCode: [{ text: spec.reason ?? p.reason }],
      extension: [{ url: CONSENT_EXTENSION, valueBoolean: spec.consentObtained ?? true }],
    };
    this.records = this.records.filter((r) => r.resource.id !== id);
    this.records.push({ lastUpdated, resource });
    return resource;
  }

  /** Adds a raw (e.g. malformed) resource with a fresh lastUpdated. */
  addRaw(resource: Record<string, unknown>): void {
    const lastUpdated = this.nextInstant();
    this.records.push({ lastUpdated, resource: { ...resource, meta: { ...(resource.meta as object), lastUpdated } } });
  }

  addDemoRecord(): void {
    this.generated++;
    const every = this.faults.malformedEvery;
    if (every > 0 && this.generated % every === 0) {
      const sr = this.addServiceRequest();
      (sr.contained as Record<string, unknown>[])[0]!.birthDate = 'not-a-date';
      return;
    }
    this.addServiceRequest();
  }

  protected resetData(): void {
    this.records = [];
    this.tasks.clear();
  }

  protected isEffect(method: string, url: URL): boolean {
    return method === 'PUT' && url.pathname.startsWith('/Task/');
  }

  protected effect(_method: string, url: URL, body: unknown): RouteResult {
    const id = decodeURIComponent(url.pathname.slice('/Task/'.length));
    const task = body as { resourceType?: string; status?: string } | undefined;
    if (!task || task.resourceType !== 'Task' || !TASK_STATUSES.includes(task.status as never)) {
      return { status: 400, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } };
    }
    this.tasks.set(id, task);
    return { status: 200, body: { resourceType: 'Task', id, status: task.status } };
  }

  protected route(method: string, url: URL): RouteResult | null {
    if (method !== 'GET' || url.pathname !== '/ServiceRequest') return null;
    const gt = url.searchParams.get('_lastUpdated');
    const after = gt && gt.startsWith('gt') ? Date.parse(gt.slice(2)) : Number.NEGATIVE_INFINITY;
    const count = Math.max(1, Math.min(500, Number(url.searchParams.get('_count') ?? 50)));
    const offset = Math.max(0, Number(url.searchParams.get('_offset') ?? 0));
    const matching = this.records.filter((r) => Date.parse(r.lastUpdated) > after).sort((a, b) => a.lastUpdated.localeCompare(b.lastUpdated));
    const page = matching.slice(offset, offset + count);
    const served = this.faults.duplicates ? page.flatMap((r) => [r, r]) : page;
    const self = new URL(url.pathname + url.search, this.url).toString();
    const link = [{ relation: 'self', url: self }];
    if (offset + count < matching.length) {
      const next = new URL(self);
      next.searchParams.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: next.toString() });
    }
    return {
      status: 200,
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        total: matching.length,
        link,
        entry: served.map((r) => ({ fullUrl: `${this.url}/ServiceRequest/${String(r.resource.id)}`, resource: r.resource })),
      },
    };
  }
}
