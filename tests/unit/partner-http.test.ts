/** integrations/http.ts against a real loopback server: a partner's answer is read up to a limit. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerError, partnerRequest } from '../../integrations/http.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/small') return res.end(JSON.stringify({ ok: true }));
    // A never-ending answer: the client must stop reading, not wait for the end.
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const write = () => {
      while (res.write(chunk)) if (res.destroyed) return;
      res.once('drain', write);
    };
    res.write('[');
    write();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('partnerRequest', () => {
  it('reads an answer within the limit', async () => {
    expect(await partnerRequest({ partner: 'probe', method: 'GET', url: `${base}/small`, timeoutMs: 5000, maxAnswerBytes: 1024 })).toEqual({ ok: true });
  });

  it('stops reading an answer past the limit: a PartnerError that is not retried, naming no content', async () => {
    const error = await partnerRequest({ partner: 'probe', method: 'GET', url: `${base}/endless`, timeoutMs: 10_000, maxAnswerBytes: 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartnerError);
    expect((error as PartnerError).retryable).toBe(false);
    expect((error as PartnerError).message).toBe('probe: answer larger than 1048576 bytes (HTTP 200)');
  });
});
