// Five `tscompose up -d` of one project at once, through the bundled CLI as separate processes: the
// project lock (src/cli/project-lock.ts) makes them take turns, also when a run that died left its
// lock behind. Engine 20.10 lets two concurrent network creations of one name both succeed, so
// without the lock this test sees duplicate networks or "network is ambiguous" failures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectLockPath } from '../../src/cli/project-lock.js';
import { projectDir } from '../support/cli.js';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { runCli, spawnCli, stackTrace } from '../support/child-cli.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const compose = `
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "touch /tmp/ready && exec sleep infinity"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 300ms
      retries: 20
    volumes: [data:/data]
    networks: [back]
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    depends_on:
      db: { condition: service_healthy }
    networks: [back]
networks:
  back: {}
volumes:
  data: {}
`;

const lines = (s: string) => s.split('\n').filter(Boolean);
const lockOf = (project: string) =>
  projectLockPath(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock', project);

/** What the engine holds under the project's names, labels or not: duplicates show here. */
async function byName(project: string) {
  return {
    containers: lines(
      await docker('ps', '-a', '--format', '{{.Names}}', '--filter', `name=^${project}[-_]`),
    ).sort(),
    networks: lines(
      await docker('network', 'ls', '--format', '{{.Name}}', '--filter', `name=^${project}_`),
    ).sort(),
    volumes: lines(
      await docker('volume', 'ls', '--format', '{{.Name}}', '--filter', `name=^${project}_`),
    ).sort(),
  };
}

/** A pid that no process has any more: a child that has already ended. */
function deadPid(): number {
  const { pid } = spawnSync('true');
  return pid;
}

describe('concurrent runs of one project', () => {
  let cli: BundledCli;
  const projects: string[] = [];
  const project = (what: string) => {
    const name = uniqueProject(what);
    projects.push(name);
    return name;
  };
  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(async () => {
    for (const name of projects) {
      await removeProject(name);
      for (const file of [lockOf(name), `${lockOf(name)}.takeover`]) rmSync(file, { force: true });
    }
    cli?.remove();
  });

  async function fiveUps(name: string) {
    const cwd = projectDir({ 'compose.yaml': compose });
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => runCli(cli, ['-p', name, '--progress', 'plain', 'up', '-d'], { cwd })),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(stackTrace);
    }
    expect(await byName(name)).toEqual({
      containers: [`${name}-app-1`, `${name}-db-1`],
      networks: [`${name}_back`],
      volumes: [`${name}_data`],
    });
    const running = lines(await docker('ps', '--format', '{{.Names}}', '--filter', `name=^${name}-`));
    expect(running.sort()).toEqual([`${name}-app-1`, `${name}-db-1`]);
    expect(existsSync(lockOf(name)), 'the lock is released').toBe(false);
    return runs;
  }

  it('five up -d at once all exit 0 and make one of each container, network and volume', async () => {
    const runs = await fiveUps(project('race5'));
    // they took turns: the later ones said they waited, and found nothing left to do
    expect(runs.filter((r) => r.stderr.includes('waiting for another tscompose run')).length).toBeGreaterThan(
      0,
    );
  });

  it('five up -d at once take over a lock left by a process that no longer runs, one at a time', async () => {
    const name = project('racestale');
    const lock = lockOf(name);
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
    writeFileSync(lock, String(deadPid()));
    await fiveUps(name);
  });

  it('an up waits while a live process holds the lock, and goes on once it is released', async () => {
    const name = project('racelive');
    const lock = lockOf(name);
    mkdirSync(dirname(lock), { recursive: true, mode: 0o700 });
    writeFileSync(lock, String(process.pid));
    const cwd = projectDir({ 'compose.yaml': compose });
    const up = spawnCli(cli, ['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    await new Promise((r) => setTimeout(r, 1500));
    expect(up.child.exitCode, 'still waiting').toBeNull();
    expect(await byName(name)).toEqual({ containers: [], networks: [], volumes: [] });
    rmSync(lock);
    const done = await up.exit;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(
      `waiting for another tscompose run on project ${name} (pid ${process.pid})`,
    );
    expect((await byName(name)).containers).toHaveLength(2);
  });
});
