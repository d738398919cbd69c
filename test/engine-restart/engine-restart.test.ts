// The engine really stops and starts again (the proxy of test/integration/engine-faults.test.ts only
// cuts connections): dockerd is ended by its pid and started again by scripts/ensure-engine.sh.
// Only an engine that script started is touched (its pid file names a running dockerd), and this
// project runs alone, after every other test (`make test`; vitest.config.ts defines it only when
// TSCOMPOSE_ENGINE_RESTART=1), since the whole engine goes away.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { spawnCli, runCli, stackTrace } from '../support/child-cli.js';
import { waitFor } from '../support/steps.js';
import { projectDir } from '../support/cli.js';
import { projectNames, runningContainers } from '../support/docker.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const state =
  process.env.TSCOMPOSE_STATE ??
  join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local/state'), 'tscompose');
const pidFile = join(state, 'dockerd.pid');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of the dockerd that scripts/ensure-engine.sh started, if that is the engine running. */
function ourDockerd(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!pid || !alive(pid)) return undefined;
  const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  return name === 'dockerd' ? pid : undefined;
}

async function stopEngine(): Promise<void> {
  const pid = ourDockerd();
  if (!pid) throw new Error(`no dockerd started by scripts/ensure-engine.sh runs (${pidFile})`);
  process.kill(pid, 'SIGTERM');
  await waitFor('dockerd to stop', () => !alive(pid), { timeoutMs: 60_000 });
}

function startEngine(): void {
  execFileSync('bash', ['scripts/ensure-engine.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const mine = ourDockerd() !== undefined;
if (!mine)
  console.warn(
    `engine-restart: NOT RUN: the running engine was not started by scripts/ensure-engine.sh (${pidFile}); ` +
      'these tests stop and start dockerd, so they only touch one the project started',
  );

describe.runIf(mine)('the engine stops and starts again', () => {
  let cli: BundledCli;
  const project = projectNames();
  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(async () => {
    if (!ourDockerd()) startEngine();
    cli?.remove();
  });

  it('`logs -f` says the engine is gone, waits, and follows the restarted container', async () => {
    const name = project('restart-logs');
    const cwd = projectDir({
      'compose.yaml': `
services:
  tick:
    image: debian:bookworm
    init: true
    restart: always
    command: ["sh", "-c", "echo run $$(date +%s%N); i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
`,
    });
    expect((await runCli(cli, ['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    const follow = spawnCli(cli, ['-p', name, 'logs', '-f', '--no-log-prefix'], { cwd });
    let out = '';
    follow.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the first lines', () => /^tick 3$/m.test(out), { timeoutMs: 60_000 });
    await stopEngine();
    await follow.stderrMatch(/the engine is gone/);
    startEngine();
    await follow.stderrMatch(/the engine is back/);
    // restart: always brings the container back, and the follower shows its new run
    await waitFor('the second run of the container', () => (out.match(/^run \d+$/gm) ?? []).length >= 2, {
      timeoutMs: 60_000,
    });
    expect(follow.child.exitCode).toBeNull();
    follow.child.kill('SIGINT');
    const result = await follow.exit;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it('`up` stopped by the engine going away says so in one line, and the next `up` converges', async () => {
    const name = project('restart-up');
    const cwd = projectDir({
      'compose.yaml': `
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "sleep 4; touch /tmp/ready; exec sleep infinity"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 30
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    depends_on:
      db: { condition: service_healthy }
`,
    });
    const up = spawnCli(cli, ['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    await up.stderrMatch(/Container \S+-db-1 +Waiting/);
    await stopEngine();
    const stopped = await up.exit;
    startEngine();
    expect(stopped.code, stopped.stderr).toBe(1);
    // a stopping dockerd first stops its containers (SIGTERM, 143), so the wait may see db die
    // before the engine goes: either way one error line with its hint, and no stack trace
    const errors = stopped.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors, stopped.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(/Docker engine|db-1 exited \(143\)/);
    expect(stopped.stderr).toMatch(/^hint: /m);
    expect(stopped.stderr).not.toMatch(stackTrace);

    const again = await runCli(cli, ['-p', name, 'up', '-d', '--wait'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(await runningContainers(name)).toEqual([`${name}-app-1 running`, `${name}-db-1 running`]);
  });
});
