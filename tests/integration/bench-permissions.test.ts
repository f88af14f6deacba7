/**
 * The permission-overhead benchmark (bench/permissions-overhead.ts) still runs end to end:
 * a few iterations against a test database, exit code 0, a ratio printed and a JSON
 * result written. No timing assertions — CI machines are too noisy for those.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) merged[k] = v;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/permissions-overhead.ts', ...args], {
      cwd: root,
      env: merged,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('bench:permissions', () => {
  let db: TestDatabase;
  let outDir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    outDir = mkdtempSync(path.join(os.tmpdir(), 'voordeur-bench-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('runs a few iterations, prints the ratio and writes the JSON result', { timeout: 120_000 }, async () => {
    const { code, output } = await run(['--iterations', '5', '--warmup', '2', '--out', outDir], {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/ratio rules\/no-rules: median \d+\.\d+×/);
    expect(output).toMatch(/^rules\s+10\s/m);
    expect(output).toMatch(/^no-rules\s+10\s/m);

    const files = readdirSync(outDir).filter((f) => /^permissions-overhead-.+\.json$/.test(f));
    expect(files).toHaveLength(1);
    const result = JSON.parse(readFileSync(path.join(outDir, files[0]!), 'utf8'));
    expect(result.iterations).toBe(5);
    expect(result.data.cases).toBe(200);
    expect(result.rules.n).toBe(10);
    expect(result.noRules.n).toBe(10);
    expect(result.ratioMedian).toBeGreaterThan(0);
  });
});
