import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Orm } from './db/database.js';
import type { Context } from './context.js';
import { buildAppSchema } from './schema.js';
import { createErrorFormatter } from './errors-format.js';
import { createTokenVerifier } from './auth/jwt.js';
import { loadViewer } from './permissions/viewer.js';
import { AuditTrail } from './modules/audit/audit-trail.js';
import { createLoaders } from './loaders.js';
import { redisState } from './redis.js';
import { logger } from './logger.js';

const MAX_BODY_BYTES = 1_000_000;

export interface App {
  server: http.Server;
  apollo: ApolloServer<Context>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** Flushes the request's batched audit rows and tags internal errors with the request id. */
function auditPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          try {
            await contextValue.audit.flush(contextValue.em);
          } catch (e) {
            logger.error({ err: (e as Error).name, requestId: contextValue.requestId }, 'audit flush failed');
          }
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
              e.extensions?.code === 'INTERNAL_SERVER_ERROR'
                ? { ...e, extensions: { ...e.extensions, requestId: contextValue.requestId } }
                : e,
            );
          }
        },
      };
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function createApp(opts: { config: Config; orm: Orm; redis: Redis | null }): Promise<App> {
  const { config, orm, redis } = opts;
  const production = config.NODE_ENV === 'production';
  const verifier = createTokenVerifier(config);

  const apollo = new ApolloServer<Context>({
    schema: await buildAppSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(production),
    // Apollo would exit on SIGTERM before our own shutdown runs (STACK.md trap 5).
    stopOnTerminationSignals: false,
    plugins: [
      auditPlugin(),
      ApolloServerPluginCacheControlDisabled(),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });
  await apollo.start();

  async function buildContext(req: http.IncomingMessage): Promise<Context> {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w-]{8,64}$/.test(header) ? header : randomUUID();
    const em = orm.em.fork();
    let viewer = null;
    const auth = req.headers.authorization;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const subject = match ? await verifier.verify(match[1]!) : null;
      viewer = subject ? await loadViewer(em, subject) : null;
      if (!viewer) {
        throw new GraphQLError('Invalid, expired or unknown token.', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
    }
    const purposeHeader = req.headers['x-purpose'];
    const purpose = typeof purposeHeader === 'string' && /^[A-Z_]{2,64}$/.test(purposeHeader) ? purposeHeader : 'CARE';
    const audit = new AuditTrail(viewer, requestId, purpose);
    return { requestId, config, viewer, em, audit, loaders: createLoaders(em, viewer, audit) };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/ready') {
      let postgres: 'up' | 'down' = 'down';
      try {
        await orm.em.fork().getConnection().execute('select 1');
        postgres = 'up';
      } catch {
        postgres = 'down';
      }
      const redisStatus = await redisState(redis);
      return sendJson(res, postgres === 'up' ? 200 : 503, { status: postgres === 'up' ? 'ready' : 'not ready', postgres, redis: redisStatus });
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found; the API is at /graphql' });

    let body: unknown = undefined;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => buildContext(req),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = (e as { status?: number }).status;
      if (status === 413) return sendJson(res, 413, { errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_USER_INPUT' } }] });
      logger.error({ err: (e as Error).name }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    apollo,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host}:${address.port}/graphql`);
        });
      });
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      await apollo.stop();
    },
  };
}
