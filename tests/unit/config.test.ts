/** Configuration from the environment: defaults, validation naming the variable, exit code 78. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { ConfigError, parseConfig } from '../../src/config.js';
import { apiProcessCount } from '../../src/api-cluster.js';

/** The repository root (/work/main in the project's workspace). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LONG_SECRET = 'a-jwt-secret-that-is-long-enough-0123456789';
const LONG_BSN_KEY = 'a-bsn-key-that-is-long-enough-0123456789abcdef';

/** The ConfigError parseConfig throws for `env` (fails the test when it does not throw). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe('parseConfig', () => {
  it('fills in the defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 4000,
      HOST: '127.0.0.1',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
      SEED_DEMO: true,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.JWT_JWKS_URL).toBeUndefined();
    // Development keys, long enough for HS256 and AES.
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.BSN_KEY.length).toBeGreaterThanOrEqual(32);
  });

  it('reads and coerces the given values', () => {
    const c = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db.example:5432/voordeur',
      REDIS_URL: 'redis://cache:6380',
      JWT_SECRET: LONG_SECRET,
      BSN_KEY: LONG_BSN_KEY,
      SEED_DEMO: 'false',
    });
    expect(c.PORT).toBe(8080);
    expect(c.DATABASE_URL).toBe('postgres://u:p@db.example:5432/voordeur');
    expect(c.REDIS_URL).toBe('redis://cache:6380');
    expect(c.JWT_SECRET).toBe(LONG_SECRET);
    expect(c.BSN_KEY).toBe(LONG_BSN_KEY);
    expect(c.SEED_DEMO).toBe(false);
    expect(parseConfig({ DATABASE_URL: 'postgresql://localhost/voordeur' }).DATABASE_URL).toBe('postgresql://localhost/voordeur');
  });

  it('runs one API process unless told otherwise; 0 means one per CPU', () => {
    expect(parseConfig({}).API_PROCESSES).toBe(1);
    expect(apiProcessCount(parseConfig({ API_PROCESSES: '3' }))).toBe(3);
    expect(apiProcessCount(parseConfig({ API_PROCESSES: '0' }))).toBe(os.availableParallelism());
    expect(configError({ API_PROCESSES: '-1' }).message).toContain('API_PROCESSES');
    expect(configError({ API_PROCESSES: 'many' }).message).toContain('API_PROCESSES');
  });

  it.each(['abc', '-1', '65536', '80.5'])('refuses PORT=%s naming PORT', (port) => {
    expect(configError({ PORT: port }).message).toMatch(/\bPORT\b/);
  });

  it.each(['mysql://x', 'not a url', 'http://db/voordeur'])('refuses DATABASE_URL=%s naming DATABASE_URL', (url) => {
    const e = configError({ DATABASE_URL: url });
    expect(e.message).toContain('DATABASE_URL');
    expect(e.message).not.toMatch(/\bPORT\b/);
  });

  it('refuses production without JWT_SECRET, naming JWT_SECRET', () => {
    expect(configError({ NODE_ENV: 'production', BSN_KEY: LONG_BSN_KEY }).message).toContain('JWT_SECRET');
  });

  it('accepts production with JWT_SECRET or a JWKS URL', () => {
    expect(parseConfig({ NODE_ENV: 'production', JWT_SECRET: LONG_SECRET, BSN_KEY: LONG_BSN_KEY }).JWT_SECRET).toBe(LONG_SECRET);
    expect(
      parseConfig({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://login.example/.well-known/jwks.json', BSN_KEY: LONG_BSN_KEY }).JWT_JWKS_URL,
    ).toBe('https://login.example/.well-known/jwks.json');
  });

  it('refuses a short JWT_SECRET naming it', () => {
    expect(configError({ JWT_SECRET: 'short' }).message).toContain('JWT_SECRET');
  });

  it('names every bad variable at once', () => {
    const e = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x' });
    expect(e.message).toMatch(/\bPORT\b/);
    expect(e.message).toContain('DATABASE_URL');
  });

  it('treats empty strings as unset', () => {
    const c = parseConfig({ PORT: '', DATABASE_URL: '', REDIS_URL: '', JWT_SECRET: '', BSN_KEY: '', NODE_ENV: '', LOG_LEVEL: '' });
    expect(c).toMatchObject({ PORT: 4000, NODE_ENV: 'development', REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'info' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.JWT_SECRET).toBe(parseConfig({}).JWT_SECRET);
    // In production an empty JWT_SECRET is as missing as an absent one.
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: '', BSN_KEY: LONG_BSN_KEY }).message).toContain('JWT_SECRET');
  });
});

describe('start-up with a bad value', () => {
  it('exits with code 78 and names PORT on stderr', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'notaport', NODE_ENV: 'development', LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env,
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(result.error, String(result.error)).toBeUndefined();
    expect(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(78);
    expect(result.stderr).toMatch(/\bPORT\b/);
  }, 30_000);
});
