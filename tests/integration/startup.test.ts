/**
 * `npm start` as a user runs it: a real child process, once against DATABASE_URL and once
 * with the embedded PostgreSQL (data kept across a restart), stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { TEST_JWT_SECRET } from '../helpers/app.js';
import { signToken } from '../../src/auth/jwt.js';
import { parseConfig } from '../../src/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function startHub(env: Record<string, string | undefined>, port: number, args: string[] = []): Promise<Started> {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) cleanEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hub exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return { child, output: () => out };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`hub did not come up:\n${out}`);
}

function stopHub(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function gql(port: number, query: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: any[] };
}

const baseEnv = {
  NODE_ENV: 'development',
  JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'info',
  REDIS_URL: 'redis://127.0.0.1:1', // unreachable on purpose: the API must keep serving
};

describe('npm start with DATABASE_URL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates, seeds the empty database, serves health/ready/graphql, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const hub = await startHub({ ...baseEnv, DATABASE_URL: db.url, PORT: String(port) }, port);
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ postgres: 'up', redis: 'down' });

      const rows = await db.orm.em.fork().getConnection().execute<{ id: string }[]>(
        "select id from staff where email = 'worker1.overvecht-centrum@voordeur.test'",
      );
      expect(rows).toHaveLength(1);
      const token = await signToken(parseConfig({ JWT_SECRET: TEST_JWT_SECRET }), rows[0]!.id);
      const me = await gql(port, '{ me { role teams { code } } cases(first: 5) { totalCount } }', token);
      expect(me.errors).toBeUndefined();
      expect(me.data.me).toEqual({ role: 'TEAM_WORKER', teams: [{ code: 'overvecht-centrum' }] });
      expect(me.data.cases.totalCount).toBeGreaterThan(0);

      // The Sandbox landing page outside production.
      const landing = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
      expect(landing.status).toBe(200);
      expect(await landing.text()).toMatch(/<html/i);
    } finally {
      expect(await stopHub(hub.child)).toBe(0);
    }
    expect(hub.output()).toContain('stopped cleanly');
  }, 120_000);
});

describe('npm start without DATABASE_URL (embedded PostgreSQL)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voordeur-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts embedded PostgreSQL, keeps its data across a restart and stops it on SIGTERM', async () => {
    const pgPort = await freePort();
    const env = { ...baseEnv, DATABASE_URL: '', EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: String(pgPort) };
    const url = `postgres://postgres:voordeur-embedded@127.0.0.1:${pgPort}/voordeur`;
    const count = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return Number((await client.query('select count(*) as n from household')).rows[0].n);
      } finally {
        await client.end();
      }
    };

    const port1 = await freePort();
    const first = await startHub({ ...env, PORT: String(port1) }, port1);
    const households = await count();
    expect(households).toBeGreaterThan(0);
    expect(await stopHub(first.child)).toBe(0);
    // The embedded server is gone with the hub.
    await expect(count()).rejects.toThrow();

    const port2 = await freePort();
    const second = await startHub({ ...env, PORT: String(port2) }, port2);
    try {
      expect(await count()).toBe(households); // same data, not seeded twice
      expect((await fetch(`http://127.0.0.1:${port2}/ready`)).status).toBe(200);
    } finally {
      expect(await stopHub(second.child)).toBe(0);
    }
  }, 180_000);
});

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]) === pid;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('--role api with API_PROCESSES=2 (node:cluster)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrates and seeds once, serves from two processes, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const hub = await startHub({ ...baseEnv, DATABASE_URL: db.url, PORT: String(port), API_PROCESSES: '2' }, port, ['--role', 'api']);
    try {
      await until('two listening API processes', () => hub.output().includes('listening with 2 API processes'));
      const first = childrenOf(hub.child.pid!);
      expect(first).toHaveLength(2);
      expect(hub.output().match(/loaded the demo seed/g)).toHaveLength(1); // by the primary only
      const rows = await db.orm.em.fork().getConnection().execute<{ id: string }[]>(
        "select id from staff where email = 'worker1.overvecht-centrum@voordeur.test'",
      );
      expect(rows).toHaveLength(1);
      const token = await signToken(parseConfig({ JWT_SECRET: TEST_JWT_SECRET }), rows[0]!.id);
      for (let i = 0; i < 6; i++) expect((await gql(port, '{ me { role } }', token)).data.me.role).toBe('TEAM_WORKER');

      process.kill(first[0]!, 'SIGKILL');
      await until('a replacement process', () => {
        const now = childrenOf(hub.child.pid!);
        return now.length === 2 && !now.includes(first[0]!) && hub.output().match(/Voordeur is listening on/g)!.length === 3;
      });
      expect(hub.output()).toContain('an API process exited; starting another');
      for (let i = 0; i < 6; i++) expect((await gql(port, '{ me { role } }', token)).data.me.role).toBe('TEAM_WORKER');
    } finally {
      expect(await stopHub(hub.child)).toBe(0);
    }
    expect(hub.output().match(/stopped cleanly/g)!.length).toBe(3); // two API processes and the primary
    expect(childrenOf(hub.child.pid!)).toEqual([]);
  }, 120_000);

  it('exits 1 when its API processes cannot start (the port is taken), instead of restarting them in a loop', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'api'], {
        cwd: root,
        env: { ...process.env, ...baseEnv, DATABASE_URL: db.url, PORT: String(port), API_PROCESSES: '2' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += String(d)));
      child.stderr!.on('data', (d) => (out += String(d)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(out).toContain('an API process failed to start');
      expect(out).not.toContain('starting another');
    } finally {
      blocker.close();
    }
  }, 120_000);
});

describe('configuration errors', () => {
  it('stops with a message naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(err).toContain('PORT');
  }, 30_000);
});
