// `watch` while the engine goes away (through a proxy the test cuts, not the shared dockerd): the
// failed sync is one clear line, the watch goes on, and once the engine is back the next change
// syncs, together with the files the failed sync did not deliver.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { LoadedProject } from '../../src/app/compose-service.js';
import { watchProject } from '../../src/app/watch.js';
import { loadProject } from '../../src/compose/load.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { startEngineProxy } from '../support/engine-proxy.js';

const project = uniqueProject('watchcut');
const compose = `
services:
  web:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    develop:
      watch:
        - path: ./src
          action: sync
          target: /app
`;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

it('reports a sync the engine was not there for, and syncs again once it is back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsc-watchcut-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'compose.yaml'), compose);
  await writeFile(join(dir, 'src', 'first.txt'), 'first\n');
  const proxy = await startEngineProxy();
  cleanups.push(() => proxy.close());
  const engine = createDockerEngine({ env: { DOCKER_HOST: proxy.dockerHost } });
  cleanups.push(async () => engine.close());
  cleanups.push(() => removeProject(project));
  const load = async (): Promise<LoadedProject> => {
    const result = await loadProject(
      { files: [join(dir, 'compose.yaml')], projectName: project },
      {
        env: {},
        cwd: dir,
        homedir: tmpdir(),
        readFile: (path) => readFile(path, 'utf8'),
        readStdin: async () => '',
        stat: async (path) => {
          const s = await stat(path).catch(() => undefined);
          return s ? (s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other') : undefined;
        },
      },
    );
    return { project: result.project, source: result.source };
  };
  const events: WatchEvent[] = [];
  const controller = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = load().then((loaded) =>
    watchProject(
      loaded,
      {},
      {
        engine,
        progress: () => {},
        report: (e) => events.push(e),
        reload: load,
        signal: controller.signal,
        version: '0.0.0-test',
        onReady: () => ready(),
      },
    ),
  );
  cleanups.push(async () => {
    controller.abort();
    await done.catch(() => undefined);
  });
  await Promise.race([isReady, done]);
  const syncs = () => events.filter((e): e is Extract<WatchEvent, { type: 'action' }> => e.type === 'action');
  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  await proxy.cut();
  await writeFile(join(dir, 'src', 'during.txt'), 'during\n');
  await until('the failed sync', () => syncs().some((e) => !e.ok));
  const failed = syncs().find((e) => !e.ok)!;
  expect(failed).toMatchObject({
    service: 'web',
    action: 'sync',
    files: [join(dir, 'src', 'during.txt')],
    kept: 'these files are synced with the next change, once the engine is back',
  });
  expect(failed.detail).toMatch(
    /^cannot connect to the Docker engine at unix:\S+ \(ENOENT: no socket there\)$/,
  );

  await proxy.restore();
  await writeFile(join(dir, 'src', 'after.txt'), 'after\n');
  await until('a sync once the engine is back', () => syncs().some((e) => e.ok));
  expect(
    syncs()
      .find((e) => e.ok)
      ?.files.sort(),
  ).toEqual([join(dir, 'src', 'after.txt'), join(dir, 'src', 'during.txt')]);
  expect(await docker('exec', `${project}-web-1`, 'cat', '/app/after.txt')).toBe('after');
  expect(await docker('exec', `${project}-web-1`, 'cat', '/app/during.txt')).toBe('during');
});
