/** Typed client of the GP system (FHIR R4 flavour): ServiceRequest search with paging, Task status. */
import { PartnerError, partnerRequest, sameOrigin } from '../http.js';
import { BundleSchema, TaskAnswerSchema } from './schemas.js';

export const HUISARTS = 'huisarts';

export interface ServiceRequestPage {
  /** Raw resources: each is validated (and parked if malformed) by the caller. */
  resources: unknown[];
  next: string | null;
}

export class HuisartsClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: { timeoutMs: number } = { timeoutMs: 10_000 },
  ) {}

  /** The first page of ServiceRequests changed after `cursor` (an instant), oldest first. */
  firstPageUrl(cursor: string | null, count: number): string {
    const u = new URL('/ServiceRequest', this.baseUrl);
    if (cursor) u.searchParams.set('_lastUpdated', `gt${cursor}`);
    u.searchParams.set('_count', String(count));
    u.searchParams.set('_sort', '_lastUpdated');
    return u.toString();
  }

  async fetchPage(url: string): Promise<ServiceRequestPage> {
    if (!sameOrigin(this.baseUrl, url)) throw new PartnerError(HUISARTS, `${HUISARTS}: next link leaves the partner's origin`, null, false);
    const body = await partnerRequest({ partner: HUISARTS, method: 'GET', url: new URL(url, this.baseUrl).toString(), timeoutMs: this.opts.timeoutMs });
    const bundle = BundleSchema.safeParse(body);
    if (!bundle.success) throw new PartnerError(HUISARTS, `${HUISARTS}: answer is not a searchset Bundle`, 200, true);
    const next = bundle.data.link?.find((l) => l.relation === 'next')?.url ?? null;
    return { resources: (bundle.data.entry ?? []).map((e) => e.resource), next };
  }

  /** PUT /Task/<id>; the idempotency key makes a retried call have its effect once. */
  async putTask(task: { id: string } & Record<string, unknown>, idempotencyKey: string): Promise<void> {
    const body = await partnerRequest({
      partner: HUISARTS,
      method: 'PUT',
      url: new URL(`/Task/${encodeURIComponent(task.id)}`, this.baseUrl).toString(),
      timeoutMs: this.opts.timeoutMs,
      body: task,
      headers: { 'idempotency-key': idempotencyKey },
    });
    if (body !== null && !TaskAnswerSchema.safeParse(body).success) {
      throw new PartnerError(HUISARTS, `${HUISARTS}: unexpected answer to Task PUT`, 200, false);
    }
  }
}
