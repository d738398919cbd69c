// `tscompose watch` against the real engine: every action, a burst, an atomic save, removals in an
// image without rm, a failed rebuild that keeps the old container, a compose-file edit, the build
// context of a service without develop, and a resync at start by content.
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedProject } from '../../src/app/compose-service.js';
import { watchProject, type WatchOptions } from '../../src/app/watch.js';
import { loadProject } from '../../src/compose/load.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const engine = createDockerEngine({ env: {} });
const project = uniqueProject('watch');
let dir = '';

const compose = (phpGreeting: string) => `
services:
  web:
    build: ./web
    init: true
    command: ["sleep", "infinity"]
    develop:
      watch:
        - path: ./web/html
          action: sync
          target: /srv/html
          ignore: ["*.log"]
        - path: ./web/conf
          action: sync+restart
          target: /etc/app
        - path: ./web/Dockerfile
          action: rebuild
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    depends_on:
      web: { condition: service_started, restart: true }
  php:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      GREETING: ${phpGreeting}
    develop:
      watch:
        - path: ./php/src
          action: sync+exec
          target: /app
          initial_sync: true
          exec:
            command: ["sh", "-c", "cat /app/*.txt > /tmp/exec-out"]
        - path: ./php/reload-me
          action: restart
  db:
    build: ./db
    init: true
    command: ["sleep", "infinity"]
`;

// an image without rm: removals must go through the engine's archive API
const webDockerfile = (extra = '') =>
  `FROM debian:bookworm\nCOPY html /srv/html\nRUN rm /usr/bin/rm\n${extra}`;

async function write(path: string, content: string) {
  await mkdir(join(dir, path, '..'), { recursive: true });
  await writeFile(join(dir, path), content);
}

async function load(): Promise<LoadedProject> {
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
}

const inContainer = (service: string, ...cmd: string[]) =>
  docker('exec', `${project}-${service}-1`, ...cmd).catch((e: Error) => `error: ${e.message}`);
const containerId = (service: string) => docker('inspect', '-f', '{{.Id}}', `${project}-${service}-1`);
const startedAt = (service: string) =>
  docker('inspect', '-f', '{{.State.StartedAt}}', `${project}-${service}-1`);

const events: WatchEvent[] = [];
const actions = () => events.filter((e): e is Extract<WatchEvent, { type: 'action' }> => e.type === 'action');

/** Waits until an event matches (events from `from` on), failing with the events seen. */
async function waitFor(
  predicate: (e: WatchEvent) => boolean,
  from: number,
  timeoutMs = 60_000,
): Promise<WatchEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events.slice(from).find(predicate);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no matching watch event; saw:\n${JSON.stringify(events.slice(from), null, 1)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const actionOf = (service: string, action?: string) => (e: WatchEvent) =>
  e.type === 'action' && e.service === service && (action === undefined || e.action === action);

function startWatch(options: WatchOptions) {
  const controller = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = load().then((loaded) =>
    watchProject(loaded, options, {
      engine,
      progress: () => {},
      report: (e) => {
        if (process.env.DEBUG_WATCH) console.log(new Date().toISOString(), JSON.stringify(e).slice(0, 300));
        events.push(e);
      },
      reload: load,
      signal: controller.signal,
      version: '0.0.0-test',
      onReady: () => ready(),
    }),
  );
  return { stop: () => controller.abort(), done, ready: Promise.race([isReady, done]) };
}

describe('watch on the real engine', () => {
  let session: ReturnType<typeof startWatch>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-watch-'));
    await write('compose.yaml', compose('hello'));
    await write('web/Dockerfile', webDockerfile());
    await write('web/html/index.html', 'v1\n');
    await write('web/conf/app.conf', 'a=1\n');
    await write('php/src/one.txt', 'one\n');
    await write('php/reload-me', '0\n');
    await write('db/Dockerfile', 'FROM debian:bookworm\nCOPY schema.sql /schema.sql\n');
    await write('db/schema.sql', 'create table t1;\n');
    session = startWatch({ buildContext: true });
    await session.ready;
  }, 240_000);

  afterAll(async () => {
    session?.stop();
    await session?.done.catch(() => undefined);
    await removeProject(project);
    for (const image of [`${project}-web`, `${project}-db`])
      await docker('rmi', '-f', image).catch(() => undefined);
    engine.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('brings the stack up, syncs initial_sync rules, and says what it watches', async () => {
    expect(events.find((e) => e.type === 'watching')).toMatchObject({
      services: ['db', 'php', 'web'],
      quietMs: 100,
    });
    expect(events.find(actionOf('php', 'initial sync'))).toMatchObject({
      ok: true,
      files: [join(dir, 'php/src/one.txt')],
    });
    expect(await inContainer('php', 'cat', '/tmp/exec-out')).toBe('one');
  });

  it('syncs a saved file into the container', async () => {
    const from = events.length;
    await write('web/html/index.html', 'v2\n');
    const event = await waitFor(actionOf('web'), from);
    expect(event).toMatchObject({ action: 'sync', ok: true, files: [join(dir, 'web/html/index.html')] });
    expect(await inContainer('web', 'cat', '/srv/html/index.html')).toBe('v2');
  });

  it('sees an atomic save (write a temporary file, rename it over) as one change of the file', async () => {
    const from = events.length;
    await writeFile(join(dir, 'web/html/.index.html.swp'), 'x');
    await writeFile(join(dir, 'web/html/index.html.tmp~'), 'v3\n');
    await rename(join(dir, 'web/html/index.html.tmp~'), join(dir, 'web/html/index.html'));
    await rm(join(dir, 'web/html/.index.html.swp'));
    const event = await waitFor(actionOf('web'), from);
    expect(event).toMatchObject({ action: 'sync', ok: true, files: [join(dir, 'web/html/index.html')] });
    expect(await inContainer('web', 'cat', '/srv/html/index.html')).toBe('v3');
    expect(await inContainer('web', 'ls', '/srv/html')).toBe('index.html');
  });

  it('syncs a burst of 1,000 files with one action per batch, and ignores what the rule ignores', async () => {
    const from = events.length;
    await mkdir(join(dir, 'web/html/burst'));
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => writeFile(join(dir, `web/html/burst/f${i}.txt`), `${i}\n`)),
    );
    await writeFile(join(dir, 'web/html/debug.log'), 'ignored');
    const deadline = Date.now() + 60_000;
    let count = '';
    while (Date.now() < deadline) {
      count = await inContainer('web', 'sh', '-c', 'ls /srv/html/burst | wc -l');
      if (count === '1000') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe('1000');
    await new Promise((r) => setTimeout(r, 400));
    const burst = actions()
      .slice(actions().length - events.slice(from).filter((e) => e.type === 'action').length)
      .filter((e) => e.service === 'web');
    expect(burst.length).toBeGreaterThan(0);
    expect(burst.length).toBeLessThanOrEqual(3);
    expect(burst.every((e) => e.ok && e.action === 'sync')).toBe(true);
    // the folder and its 1,000 files, not the ignored debug.log; a file may come in two batches (the
    // new folder's content is read when its batch settles, the watcher may report a file after that)
    const files = burst.flatMap((e) => e.files);
    expect(new Set(files).size).toBe(1001);
    expect(files.every((f) => f.startsWith(join(dir, 'web/html/burst')))).toBe(true);
    expect(await inContainer('web', 'ls', '/srv/html/debug.log')).toMatch(/error/);
  });

  it('removes deleted files and folders in a container that has no rm', async () => {
    expect(await inContainer('web', 'rm', '--help')).toMatch(/error/);
    const from = events.length;
    await rm(join(dir, 'web/html/burst'), { recursive: true });
    await waitFor(actionOf('web'), from);
    expect(await inContainer('web', 'ls', '/srv/html')).toBe('index.html');
    const from2 = events.length;
    await rm(join(dir, 'web/html/index.html'));
    await waitFor(actionOf('web'), from2);
    expect(await inContainer('web', 'ls', '-A', '/srv/html')).toBe('');
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
  });

  it('syncs then restarts on sync+restart', async () => {
    const before = await startedAt('web');
    const from = events.length;
    await write('web/conf/app.conf', 'a=2\n');
    const event = await waitFor(actionOf('web'), from);
    expect(event).toMatchObject({ action: 'sync+restart', ok: true });
    expect(await inContainer('web', 'cat', '/etc/app/app.conf')).toBe('a=2');
    expect(await startedAt('web')).not.toBe(before);
  });

  it('syncs then runs the exec command on sync+exec, and restarts on a restart rule', async () => {
    const from = events.length;
    await write('php/src/two.txt', 'two\n');
    await waitFor(actionOf('php', 'sync+exec'), from);
    expect(await inContainer('php', 'cat', '/tmp/exec-out')).toBe('one\ntwo');
    const before = await startedAt('php');
    const from2 = events.length;
    await write('php/reload-me', '1\n');
    expect(await waitFor(actionOf('php'), from2)).toMatchObject({ action: 'restart', ok: true });
    expect(await startedAt('php')).not.toBe(before);
  });

  it('keeps the old container when a rebuild fails, and the watch goes on', async () => {
    const id = await containerId('web');
    const from = events.length;
    await write('web/Dockerfile', webDockerfile('RUN false\n'));
    const event = await waitFor(actionOf('web', 'rebuild'), from, 90_000);
    expect(event).toMatchObject({ ok: false, kept: 'the old container keeps running' });
    expect(event.type === 'action' && event.detail).toMatch(/RUN false/);
    expect(await containerId('web')).toBe(id);
    expect(await docker('inspect', '-f', '{{.State.Running}}', id)).toBe('true');
    const from2 = events.length;
    await write('web/html/after.html', 'still watching\n');
    await waitFor(actionOf('web', 'sync'), from2);
    expect(await inContainer('web', 'cat', '/srv/html/after.html')).toBe('still watching');
  });

  it('rebuilds and recreates the service alone, restarting the dependent that asks for it', async () => {
    const web = await containerId('web');
    const php = await containerId('php');
    const appStarted = await startedAt('app');
    const from = events.length;
    await write('web/Dockerfile', webDockerfile('RUN echo rebuilt > /marker\n'));
    const event = await waitFor(actionOf('web', 'rebuild'), from, 90_000);
    expect(event).toMatchObject({ ok: true });
    expect(event.type === 'action' && event.detail).toMatch(/image rebuilt, web recreated, app restarted/);
    expect(await containerId('web')).not.toBe(web);
    expect(await inContainer('web', 'cat', '/marker')).toBe('rebuilt');
    expect(await startedAt('app')).not.toBe(appStarted);
    expect(await containerId('php')).toBe(php);
  });

  it('rebuilds a service without develop when its build context changes (--build-context)', async () => {
    const db = await containerId('db');
    const from = events.length;
    await write('db/schema.sql', 'create table t2;\n');
    const event = await waitFor(actionOf('db', 'rebuild'), from, 90_000);
    expect(event).toMatchObject({ ok: true, files: [join(dir, 'db/schema.sql')] });
    expect(await containerId('db')).not.toBe(db);
    expect(await inContainer('db', 'cat', '/schema.sql')).toBe('create table t2;');
  });

  it('re-plans on a compose-file edit and converges only what changed', async () => {
    const web = await containerId('web');
    const db = await containerId('db');
    const from = events.length;
    await write('compose.yaml', compose('bonjour'));
    const event = await waitFor(actionOf(project, 'reload'), from, 90_000);
    expect(event).toMatchObject({ ok: true, detail: 'php recreated' });
    expect(await inContainer('php', 'sh', '-c', 'echo $GREETING')).toBe('bonjour');
    expect(await containerId('web')).toBe(web);
    expect(await containerId('db')).toBe(db);

    const from2 = events.length;
    await writeFile(join(dir, 'compose.yaml'), 'services: [oops');
    const broken = await waitFor(actionOf(project, 'reload'), from2);
    expect(broken).toMatchObject({ ok: false, kept: 'the services keep running as they were' });
    await write('compose.yaml', compose('bonjour'));
    await waitFor(actionOf(project, 'reload'), from2 + 1);
  });

  it('syncs at start with --resync what changed while the watch was not running, by content', async () => {
    session.stop();
    await session.done;
    await write('web/html/while-away.html', 'new\n');
    await write('web/html/after.html', 'still watching\n'); // same content: nothing to copy
    const from = events.length;
    session = startWatch({ noUp: true, resync: true, services: ['web'] });
    await session.ready;
    // the rebuilt image had none of the synced conf: it comes back too, and only what differs
    const initial = events.slice(from).find(actionOf('web', 'initial sync'));
    expect(initial).toMatchObject({
      ok: true,
      files: [join(dir, 'web/conf/app.conf'), join(dir, 'web/html/while-away.html')],
    });
    expect(await inContainer('web', 'cat', '/srv/html/while-away.html')).toBe('new');
  });
});
