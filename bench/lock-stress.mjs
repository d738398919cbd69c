#!/usr/bin/env node
// The project lock (src/cli/project-lock.ts) under a stampede: ROUNDS times, a lock file left by a
// pid that no longer runs, and WORKERS processes that all ask for the lock at the same instant
// (they spin until a shared start time). Each holds it 30 ms and records when. Two holders at once
// is a failure: before the takeover went through a guard file, a run that had read the dead owner
// could remove the lock another run had just taken over (3 double holds in 20 rounds of 8, here).
// Usage: node bench/lock-stress.mjs [rounds=20] [workers=8]   (exit 1 on any overlap)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const rounds = Number(process.argv[2] ?? 20);
const workers = Number(process.argv[3] ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'tsc-lock-stress-'));
const lockModule = join(dir, 'project-lock.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('../src/cli/project-lock.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: lockModule,
  logLevel: 'warning',
});
const worker = `
import { appendFileSync } from 'node:fs';
const [startAt, out] = process.argv.slice(1);
const { projectLock } = await import(${JSON.stringify(lockModule)});
const lock = projectLock('unix:///lock-stress', new AbortController().signal);
while (Date.now() < Number(startAt)) {}
const release = await lock('lock-stress-${process.pid}', () => {});
const from = performance.timeOrigin + performance.now();
await new Promise((r) => setTimeout(r, 30));
appendFileSync(out, from + ' ' + (performance.timeOrigin + performance.now()) + '\\n');
release();
`;
const { projectLockPath } = await import(lockModule);
const file = projectLockPath('unix:///lock-stress', `lock-stress-${process.pid}`);
let overlaps = 0;
try {
  for (let round = 0; round < rounds; round++) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, String(spawnSync('true').pid));
    const out = join(dir, `round-${round}.txt`);
    const startAt = Date.now() + 300 + workers * 60;
    await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise((resolve) =>
            spawn(process.execPath, ['--input-type=module', '-e', worker, startAt, out], {
              stdio: 'inherit',
            }).on('close', resolve),
          ),
      ),
    );
    const holds = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number))
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < holds.length; i++) if (holds[i][0] < holds[i - 1][1]) overlaps++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(file, { force: true });
}
console.log(`${rounds} rounds of ${workers} processes taking over a stale lock: ${overlaps} double holds`);
process.exitCode = overlaps ? 1 : 0;
