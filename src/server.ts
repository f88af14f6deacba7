import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Redis } from 'ioredis';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import type { Orm } from './db/database.js';
import type { Context } from './context.js';
import { buildAppSchema } from './schema.js';
import { createErrorFormatter } from './errors-format.js';
import { createTokenVerifier } from './auth/jwt.js';
import { loadViewer, type Viewer } from './permissions/viewer.js';
import { AuditTrail } from './modules/audit/audit-trail.js';
import { createLoaders } from './loaders.js';
import { redisState } from './redis.js';
import { logger } from './logger.js';
import { armorOptions, graphqlLimits, parseOptions } from './graphql-limits.js';
import { createRateLimiter } from './rate-limit.js';
import { SQL_COUNT_HEADER, wantsSqlCount, withSqlCounter } from './sql-count.js';
import { renderMetrics } from './jobs/metrics.js';
import { isDashboardPath, serveDashboard } from './dashboard/serve.js';

export interface App {
  server: http.Server;
  apollo: ApolloServer<Context>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Flushes the request's batched audit rows and tags internal errors with the request id.
 * What could not be recorded is not disclosed: when the flush fails, the answer's data is
 * dropped and the client gets an INTERNAL_SERVER_ERROR (status 500) instead.
 */
export function auditPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operation }) {
          try {
            await contextValue.audit.flush(contextValue.em);
          } catch (e) {
            logger.error({ err: (e as Error).name, requestId: contextValue.requestId }, 'audit flush failed; the answer is withheld');
            if (response.body.kind === 'single') {
              // A mutation's change has committed by now (its own audit rows with it): say so
              // rather than invite a blind retry.
              const message =
                operation?.operation === 'mutation'
                  ? 'The access could not be recorded in the audit log, so the answer is withheld. The change may have been saved: check before repeating it.'
                  : 'The access could not be recorded in the audit log, so nothing is disclosed. Try again.';
              response.body.singleResult = { errors: [{ message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
              response.http.status = 500;
            }
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

/** The per-request context from its parts: its own audit trail and loaders on the request's EntityManager fork. */
export function createRequestContext(opts: {
  requestId: string;
  config: Config;
  viewer: Viewer | null;
  em: EntityManager;
  purpose: string;
}): Context {
  const { requestId, config, viewer, em, purpose } = opts;
  const audit = new AuditTrail(viewer, requestId, purpose);
  return { requestId, config, viewer, em, audit, loaders: createLoaders(em, viewer, audit) };
}

/**
 * PostgreSQL text cannot hold a NUL character: a string with one would fail at the database as
 * an internal error (whose message, outside production, quotes the statement's values). Refused
 * up front for every operation, in variables and in literals alike.
 */
function noNulInputPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const inVariables = request.variables !== undefined && JSON.stringify(request.variables).includes('\\u0000');
          // In the document: a raw NUL, or a string literal's escape of one.
          const inDocument = request.query !== undefined && (request.query.includes('\u0000') || /\\u0000|\\u\{0+\}/i.test(request.query));
          if (inVariables || inDocument) {
            throw new GraphQLError('Input must not contain NUL characters (U+0000).', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/**
 * graphql-js suggests names in some messages graphql-armor's mask does not catch (enum values:
 * 'Did you mean the enum value "X"?'); with introspection off they would map the schema.
 */
function noSuggestionsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) error.message = error.message.replace(/\s*Did you mean[^?]*\?/g, '').trim();
            // What graphql-armor's empty mask leaves behind: 'on type "Team". ?'
            error.message = error.message.replace(/\.\s+\?$/, '.');
          }
        },
      };
    },
  };
}

/**
 * Reads the body up to `maxBytes`. A larger body is read on and discarded (so the client gets
 * its 413 instead of a reset connection) up to four times the limit; past that the
 * connection is cut.
 */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => Object.assign(new Error('body too large'), { status: 413 });
    let size = 0;
    let chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes * 4) {
        req.destroy();
      } else if (size > maxBytes) {
        chunks = [];
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => (size > maxBytes ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
    // Closed before the body was complete: cut off (too large) or the client went away. (Not an
    // Error per request: 'close' also follows every complete body, and an Error captures a stack.)
    req.on('close', () => {
      if (!req.complete) reject(tooLarge());
    });
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
  const limits = graphqlLimits(config);
  // Depth, aliases, cost, directives and field suggestions; tokens via parseOptions (graphql-limits.ts).
  const armor = new ApolloArmor(armorOptions(limits)).protect();
  const rateLimiter = createRateLimiter({ perMinute: limits.rateLimitPerMinute, redis, secret: config.BSN_KEY });

  const apollo = new ApolloServer<Context>({
    schema: await buildAppSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(production),
    // Apollo would exit on SIGTERM before our own shutdown runs (STACK.md trap 5).
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // No automatic persisted queries: the contract sends whole documents, and an unknown hash
    // would be an internal error (and an error log line) for anyone who sends one.
    persistedQueries: false,
    validationRules: armor.validationRules,
    parseOptions: parseOptions(limits),
    plugins: [
      ...(armor.plugins as ApolloServerPlugin<Context>[]),
      noSuggestionsPlugin(),
      noNulInputPlugin(),
      auditPlugin(),
      ApolloServerPluginCacheControlDisabled(),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });
  await apollo.start();

  /** `subject` is the verified `sub` of the request's bearer token (null when absent or invalid). */
  async function buildContext(req: http.IncomingMessage, subject: string | null): Promise<Context> {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w-]{8,64}$/.test(header) ? header : randomUUID();
    const em = orm.em.fork();
    let viewer = null;
    const auth = req.headers.authorization;
    if (auth) {
      viewer = subject ? await loadViewer(em, subject) : null;
      if (!viewer) {
        throw new GraphQLError('Invalid, expired or unknown token.', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
    }
    const purposeHeader = req.headers['x-purpose'];
    const purpose = typeof purposeHeader === 'string' && /^[A-Z_]{2,64}$/.test(purposeHeader) ? purposeHeader : 'CARE';
    return createRequestContext({ requestId, config, viewer, em, purpose });
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
    if (url.pathname === '/metrics') {
      const metrics = await renderMetrics(orm, config);
      res.writeHead(200, { 'content-type': metrics.contentType });
      return res.end(metrics.body);
    }
    if (isDashboardPath(url.pathname)) return serveDashboard(req, res, url.pathname);
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found; the API is at /graphql' });

    // Rate limit before anything else is read: keyed by the verified subject, else the client IP.
    const auth = req.headers.authorization;
    const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    const subject = bearer ? await verifier.verify(bearer[1]!) : null;
    const decision = await rateLimiter.consume(rateLimiter.keyFor(subject, req.socket.remoteAddress));
    if (!decision.allowed) {
      res.setHeader('retry-after', String(decision.retryAfterSeconds));
      return sendJson(res, 429, {
        errors: [
          { message: `Rate limit exceeded: try again in ${decision.retryAfterSeconds} s`, extensions: { code: 'FORBIDDEN' } },
        ],
      });
    }

    let body: unknown = undefined;
    if (req.method === 'POST') {
      const raw = await readBody(req, limits.maxBodyBytes);
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
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => buildContext(req, subject),
      });
    // Benchmarks only (SQL_COUNT_HEADER, and the request asks): statements this request sent,
    // viewer and audit included.
    const result = config.SQL_COUNT_HEADER && wantsSqlCount(req.headers)
      ? await withSqlCounter(async (counter) => {
          const r = await execute();
          res.setHeader(SQL_COUNT_HEADER, String(counter.statements));
          return r;
        })
      : await execute();
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
      if (status === 413) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { errors: [{ message: `Request body too large: at most ${limits.maxBodyBytes} bytes.`, extensions: { code: 'BAD_USER_INPUT' } }] });
      }
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
