import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, projectResources, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

// The issue's "Done when", through the CLI against the real engine, with Docker Compose v2 as the
// witness of interoperability.

const ids = async (project: string) =>
  (await docker('ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`))
    .split('\n')
    .filter(Boolean)
    .sort();

const db = `
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "touch /tmp/ready && exec sleep infinity"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 5
    volumes: [data:/data]`;

/** db (health check, a volume) and, unless `dbOnly`, app waiting for it to be healthy. */
const stack = (greeting: string, dbOnly = false) => `
services:${db}
${
  dbOnly
    ? ''
    : `  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      GREETING: ${greeting}
    depends_on:
      db: { condition: service_healthy }`
}
volumes:
  data: {}
`;

describe('up and down', () => {
  const projects: string[] = [];
  const project = (what: string) => {
    const name = uniqueProject(what);
    projects.push(name);
    return name;
  };
  afterAll(async () => {
    for (const name of projects) await removeProject(name);
  });

  it('changes nothing on a second up, and recreates only the edited service, naming the field', async () => {
    const name = project('rerun');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    const first = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const before = await ids(name);
    expect(before).toHaveLength(2);

    const second = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(await ids(name)).toEqual(before);
    expect(second.stderr).not.toMatch(/Recreate|Created|Started/);

    const edited = projectDir({ 'compose.yaml': stack('bonjour') });
    const third = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd: edited });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain(`Container ${name}-app-1  Recreate (environment.GREETING changed)`);
    expect(third.stderr).not.toContain(`Container ${name}-db-1  Recreate`);
    const after = await ids(name);
    expect(after.filter((id) => before.includes(id))).toHaveLength(1);
    expect(await docker('exec', `${name}-app-1`, 'printenv', 'GREETING')).toBe('bonjour');
  });

  it('shows one wait per container under --wait, with its condition, and the final states', async () => {
    const name = project('waitonce');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    const up = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d', '--wait'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    const lines = up.stderr.split('\n');
    const waits = (c: string) => lines.filter((l) => l.includes(`Container ${name}-${c}-1  Waiting`));
    const ends = (c: string) =>
      lines.filter((l) => / {2}(Healthy|Running) {2}\d/.test(l) && l.includes(`${name}-${c}-1`));
    // db: app waits for it to be healthy, and that one wait is db's under --wait too
    expect(waits('db').length).toBeGreaterThan(0);
    expect(waits('db').every((l) => l.includes('Waiting (healthy'))).toBe(true);
    expect(ends('db')).toHaveLength(1);
    // app has no health check: ready means running
    expect(waits('app')).toEqual([` Container ${name}-app-1  Waiting (running)`]);
    expect(ends('app')).toHaveLength(1);
    expect(up.stderr).toMatch(/ 2 created, 2 started; 1 healthy, 1 running {2}\d+\.\ds/);
  });

  it('connects a container to all its networks before it starts: its first instruction resolves a peer on the second', async () => {
    const name = project('twonets');
    const compose = (greeting: string) => `
services:
  peer:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    networks: [zzz]
  client:
    image: debian:bookworm
    init: true
    environment: { GREETING: ${greeting} }
    command: ["sh", "-c", "getent hosts peer || exit 3; exec sleep infinity"]
    networks: [aaa, zzz]
    depends_on: [peer]
networks:
  aaa: {}
  zzz: {}
`;
    const cwd = projectDir({ 'compose.yaml': compose('hello') });
    const up = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d', '--wait'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    const started = async () => {
      const client = `${name}-client-1`;
      expect(await docker('inspect', '-f', '{{.State.Status}} {{.RestartCount}}', client)).toBe('running 0');
      expect(await docker('logs', client)).toMatch(/^\d+\.\d+\.\d+\.\d+\s+peer/);
    };
    await started();
    // a recreated container too (created under another name, then renamed)
    const edited = projectDir({ 'compose.yaml': compose('bonjour') });
    const again = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d', '--wait'], { cwd: edited });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Container ${name}-client-1  Recreate`);
    await started();
    // and a one-off container of `run`
    const run = await tscompose(
      ['-p', name, 'run', '--rm', '--no-deps', 'client', 'getent', 'hosts', 'peer'],
      {
        cwd: edited,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\s+peer/);
  });

  it('prints the plan with --dry-run and changes nothing', async () => {
    const name = project('dryrun');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    const result = await tscompose(['-p', name, '--dry-run', 'up', '-d'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wait healthy    ${name}-db-1`);
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it("down SERVICE removes only that service's containers, and keeps networks and volumes", async () => {
    const name = project('down-one');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    expect((await tscompose(['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    const unknown = await tscompose(['-p', name, 'down', 'nope'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no such service: nope');

    const down = await tscompose(['-p', name, 'down', '-v', 'app'], { cwd });
    expect(down.code, down.stderr).toBe(0);
    const filter = `label=com.docker.compose.project=${name}`;
    expect(await docker('ps', '-a', '--filter', filter, '--format', '{{.Names}}')).toBe(`${name}-db-1`);
    expect(await docker('network', 'ls', '--filter', filter, '--format', '{{.Name}}')).toBe(
      `${name}_default`,
    );
    expect(await docker('volume', 'ls', '--filter', filter, '--format', '{{.Name}}')).toBe(`${name}_data`);

    expect((await tscompose(['-p', name, 'down', '-v'], { cwd })).code).toBe(0);
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('interoperates with Docker Compose v2 both ways', async () => {
    const name = project('interop');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    const file = join(cwd, 'compose.yaml');
    expect((await tscompose(['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    const ours = await ids(name);
    // Compose lists what tscompose made, and finds it up to date (same config hash)
    const listed = await docker('compose', '-p', name, '-f', file, 'ps', '--format', '{{.Name}}');
    expect(listed.split('\n').sort()).toEqual([`${name}-app-1`, `${name}-db-1`]);
    await docker('compose', '-p', name, '-f', file, 'up', '-d');
    expect(await ids(name)).toEqual(ours);
    expect((await tscompose(['-p', name, 'down', '-v'], { cwd })).code).toBe(0);

    // and tscompose takes over, then removes, what Compose made, without the compose file
    await docker('compose', '-p', name, '-f', file, 'up', '-d');
    const theirs = await ids(name);
    const up = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    expect(up.stderr).not.toContain('Recreate');
    expect(await ids(name)).toEqual(theirs);
    const elsewhere = projectDir({});
    const down = await tscompose(['-p', name, 'down', '-v'], { cwd: elsewhere });
    expect(down.code, down.stderr).toBe(0);
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('fails up within the retry budget of an unhealthy dependency and shows the check output', async () => {
    const name = project('unhealthy');
    const cwd = projectDir({
      'compose.yaml': `
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    healthcheck:
      test: ["CMD-SHELL", "echo connection refused on 3306; exit 1"]
      interval: 1s
      timeout: 1s
      retries: 3
  app:
    image: debian:bookworm
    command: ["sleep", "infinity"]
    depends_on:
      db: { condition: service_healthy }
`,
    });
    const started = Date.now();
    const result = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd });
    // three failed checks a second apart, plus start-up: well under the budget of a fixed poll
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`container ${name}-db-1 is unhealthy`);
    expect(result.stderr).toContain('connection refused on 3306');
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${name}-app-1`)).toBe('created');
  });

  it('keeps the data of a named volume across recreation and down without -v', async () => {
    const name = project('volume');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    expect((await tscompose(['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    await docker('exec', `${name}-db-1`, 'sh', '-c', 'echo kept > /data/file');
    expect((await tscompose(['-p', name, 'up', '-d', '--force-recreate'], { cwd })).code).toBe(0);
    expect(await docker('exec', `${name}-db-1`, 'cat', '/data/file')).toBe('kept');
    expect((await tscompose(['-p', name, 'down'], { cwd })).code).toBe(0);
    expect((await projectResources(name)).volumes).toHaveLength(1);
    expect((await tscompose(['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    expect(await docker('exec', `${name}-db-1`, 'cat', '/data/file')).toBe('kept');
    expect((await tscompose(['-p', name, 'down', '-v'], { cwd })).code).toBe(0);
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('never duplicates containers or networks when two ups run at once', async () => {
    const name = project('concurrent');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    const [a, b] = await Promise.all([
      tscompose(['-p', name, 'up', '-d'], { cwd }),
      tscompose(['-p', name, 'up', '-d'], { cwd }),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const { containers, networks, volumes } = await projectResources(name);
    expect([containers.length, networks.length, volumes.length]).toEqual([2, 1, 1]);
  });

  it('refuses a bind volume whose host directory is missing, before creating anything', async () => {
    const name = project('bindmissing');
    const cwd = projectDir({
      'compose.yaml': `
services:
  db:
    image: debian:bookworm
    volumes: [data:/var/lib/mysql]
volumes:
  data:
    driver: local
    driver_opts: { type: none, o: bind, device: /tmp/tscompose-no-such-dir/data }
`,
    });
    const result = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(result.code).toBe(15);
    expect(result.stderr).toContain(
      'volume "data" binds /tmp/tscompose-no-such-dir/data, which does not exist',
    );
    expect(result.stderr).toContain('mkdir -p /tmp/tscompose-no-such-dir/data');
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('warns about orphans and removes them with --remove-orphans', async () => {
    const name = project('orphans');
    const cwd = projectDir({ 'compose.yaml': stack('hello') });
    expect((await tscompose(['-p', name, 'up', '-d'], { cwd })).code).toBe(0);
    const smaller = projectDir({ 'compose.yaml': stack('hello', true) });
    const warned = await tscompose(['-p', name, '--progress', 'plain', 'up', '-d'], { cwd: smaller });
    expect(warned.stderr).toContain(`Found orphan containers (${name}-app-1)`);
    const removed = await tscompose(['-p', name, 'up', '-d', '--remove-orphans'], { cwd: smaller });
    expect(removed.code).toBe(0);
    expect(await ids(name)).toHaveLength(1);
  });
});
