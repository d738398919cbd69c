// Secrets and configs that are not files, on the real engine, as Compose copies them in without
// Swarm: an `environment:` secret (its value from .env, then from the shell, which wins) and a
// `content:` config with a mode, owner and target path are files in the container before its
// command starts (in folders the image does not have), for `up`, a recreation and `run`; the value
// is in no label, no environment of the container and nothing tscompose prints.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { projectDir, tscompose, type CliResult } from '../support/cli.js';
import { docker, projectResources, removeProject, uniqueProject } from '../support/docker.js';

const fromDotenv = `dotenv-secret-${randomBytes(8).toString('hex')}`;
const fromShell = `shell-secret-${randomBytes(8).toString('hex')}`;
const siteConf = `server_name site-${randomBytes(4).toString('hex')};`;

const compose = `
services:
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      MODE: prod
    secrets:
      - db_pw
    configs:
      - source: site
        target: /etc/app/conf.d/site.conf
        mode: 0440
        uid: "1000"
        gid: "33"
secrets:
  db_pw:
    environment: DB_PASSWORD
configs:
  site:
    content: "${siteConf}"
`;

const output = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

function expectNoSecret(what: string, text: string) {
  expect(text, `${what} shows the .env value`).not.toContain(fromDotenv);
  expect(text, `${what} shows the shell value`).not.toContain(fromShell);
}

describe('environment secrets and content configs, copied into containers', () => {
  const projects: string[] = [];
  afterAll(async () => {
    for (const name of projects) await removeProject(name);
  });

  it('up, a recreation and run find the files with their content, mode and owner; no value leaks', async () => {
    const name = uniqueProject('secrets-inject');
    projects.push(name);
    const cwd = projectDir({ 'compose.yaml': compose, '.env': `DB_PASSWORD=${fromDotenv}\n` });
    const run = (args: string[], env: Record<string, string> = {}) =>
      tscompose(['-p', name, ...args], { cwd, env });

    const dry = await run(['--dry-run', 'up']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/create +tsc-secretsinject-\w+-app-1/);
    expectNoSecret('up --dry-run', output(dry));

    const up = await run(['--progress', 'json', 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expectNoSecret('up --progress json', output(up));

    const container = async () => {
      const id = await docker('ps', '-q', '--filter', `label=com.docker.compose.project=${name}`);
      expect(id).toMatch(/^[0-9a-f]+$/);
      return id;
    };
    const inContainer = async (id: string, ...cmd: string[]) => docker('exec', id, ...cmd);
    const first = await container();
    expect(await inContainer(first, 'cat', '/run/secrets/db_pw')).toBe(fromDotenv);
    // Compose's defaults: 0444, the container's root; the folder the image lacked was made
    expect(await inContainer(first, 'stat', '-c', '%a %u %g', '/run/secrets/db_pw')).toBe('444 0 0');
    expect(await inContainer(first, 'stat', '-c', '%a %u %g', '/run/secrets')).toBe('755 0 0');
    expect(await inContainer(first, 'cat', '/etc/app/conf.d/site.conf')).toBe(siteConf);
    expect(await inContainer(first, 'stat', '-c', '%a %u %g', '/etc/app/conf.d/site.conf')).toBe(
      '440 1000 33',
    );
    // an existing folder keeps its mode and owner (no directory entry rewrote them)
    expect(await inContainer(first, 'stat', '-c', '%a %u %g', '/etc')).toBe('755 0 0');
    expect(await inContainer(first, 'stat', '-c', '%a', '/run')).toBe(
      await docker('run', '--rm', 'debian:bookworm', 'stat', '-c', '%a', '/run'),
    );
    // what `tscompose exec` sees is the same file
    const exec = await run(['exec', '-T', 'app', 'cat', '/run/secrets/db_pw']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toBe(fromDotenv);

    const inspect = async (id: string) => {
      const [details] = JSON.parse(await docker('inspect', id)) as {
        Config: { Labels: Record<string, string>; Env: string[] };
      }[];
      // the witness looks at the real thing: the service's own variable and labels are there
      expect(details!.Config.Env).toContain('MODE=prod');
      expect(details!.Config.Labels['com.docker.compose.project']).toBe(name);
      expectNoSecret('docker inspect', JSON.stringify(details));
    };
    await inspect(first);

    // the shell wins over .env, as in interpolation; a recreated container gets the new value
    const again = await run(['--progress', 'json', 'up', '-d', '--force-recreate'], {
      DB_PASSWORD: fromShell,
    });
    expect(again.code, again.stderr).toBe(0);
    expectNoSecret('up --force-recreate', output(again));
    const second = await container();
    expect(second).not.toBe(first);
    expect(await inContainer(second, 'cat', '/run/secrets/db_pw')).toBe(fromShell);
    expect(await inContainer(second, 'stat', '-c', '%a %u %g', '/etc/app/conf.d/site.conf')).toBe(
      '440 1000 33',
    );
    await inspect(second);

    // a one-off container gets them too, before its command runs
    const oneOff = await run([
      'run',
      '--rm',
      '-T',
      'app',
      'cat',
      '/run/secrets/db_pw',
      '/etc/app/conf.d/site.conf',
    ]);
    expect(oneOff.code, oneOff.stderr).toBe(0);
    expect(oneOff.stdout).toBe(`${fromDotenv}${siteConf}`);

    const down = await run(['down', '-t', '0']);
    expect(down.code, down.stderr).toBe(0);
    expectNoSecret('down', output(down));
  });

  it('an unset variable stops up before anything is created, naming the secret and the variable', async () => {
    const name = uniqueProject('secrets-unset');
    projects.push(name);
    const cwd = projectDir({ 'compose.yaml': compose, '.env': `OTHER=${fromDotenv}\n` });
    const up = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain(
      'secret "db_pw" reads the environment variable DB_PASSWORD, which is not set',
    );
    expectNoSecret('the error of up', output(up));
    expect(await projectResources(name)).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
