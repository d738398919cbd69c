// Secret values stay secret on the real engine: a service with a file secret is created and started,
// the secret is readable inside its container, and neither the file's content nor a secret's `.env`
// value shows in the container's labels or environment, or in anything tscompose prints (config,
// progress events, ps, down), also when the `.env` secret is copied into the container.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { projectDir, tscompose, type CliResult } from '../support/cli.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const fileSecret = `file-secret-${randomBytes(8).toString('hex')}`;
const envSecret = `env-secret-${randomBytes(8).toString('hex')}`;

const compose = (secrets: string) => `
services:
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      MODE: prod
    secrets: [${secrets}]
secrets:
  db_pw:
    file: ./db_pw.txt
  env_pw:
    environment: DB_PASSWORD
`;

const files = (secrets: string) => ({
  'compose.yaml': compose(secrets),
  'db_pw.txt': fileSecret,
  '.env': `DB_PASSWORD=${envSecret}\nOTHER=visible\n`,
});

function expectNoSecret(what: string, text: string) {
  expect(text, `${what} shows the file secret`).not.toContain(fileSecret);
  expect(text, `${what} shows the .env secret`).not.toContain(envSecret);
}

const output = (r: CliResult) => `${r.stdout}\n${r.stderr}`;

describe('secrets on the engine', () => {
  const projects: string[] = [];
  afterAll(async () => {
    for (const name of projects) await removeProject(name);
  });

  it('a file secret is mounted, and its value is in no label, environment or output', async () => {
    const name = uniqueProject('secrets');
    projects.push(name);
    const cwd = projectDir(files('db_pw'));
    const run = (...args: string[]) => tscompose(['-p', name, ...args], { cwd });

    for (const args of [['config'], ['config', '--format', 'json'], ['config', '--environment']]) {
      const r = await run(...args);
      expect(r.code, r.stderr).toBe(0);
      expectNoSecret(args.join(' '), output(r));
    }
    // the environment is printed, but not the value a secret reads
    expect((await run('config', '--environment')).stdout).toMatch(
      /^DB_PASSWORD=\(hidden.*\nOTHER=visible$/ms,
    );

    const up = await run('--progress', 'json', 'up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expectNoSecret('up --progress json', output(up));
    const ps = await run('ps', '--format', 'json');
    expect(ps.code, ps.stderr).toBe(0);
    expectNoSecret('ps', output(ps));

    const id = await docker('ps', '-q', '--filter', `label=com.docker.compose.project=${name}`);
    expect(id).not.toBe('');
    // the secret works: the container reads it where Compose puts it
    expect(await docker('exec', id, 'cat', '/run/secrets/db_pw')).toBe(fileSecret);
    const [inspect] = JSON.parse(await docker('inspect', id)) as {
      Config: { Labels: Record<string, string>; Env: string[] };
    }[];
    // what the witness looks at is the real thing: the service's own variable and labels are there
    expect(inspect!.Config.Env).toContain('MODE=prod');
    expect(inspect!.Config.Labels['com.docker.compose.project']).toBe(name);
    expectNoSecret('container labels', JSON.stringify(inspect!.Config.Labels));
    expectNoSecret('container environment', JSON.stringify(inspect!.Config.Env));
    expectNoSecret('container inspect', JSON.stringify(inspect));

    const down = await run('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expectNoSecret('down', output(down));
  });

  it('an environment secret is copied in, and its value is in no label, environment or output', async () => {
    const name = uniqueProject('secrets-env');
    projects.push(name);
    const cwd = projectDir(files('db_pw, env_pw'));
    const up = await tscompose(['-p', name, '--verbose', '--progress', 'json', 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    expectNoSecret('up --verbose --progress json', output(up));

    const id = await docker('ps', '-q', '--filter', `label=com.docker.compose.project=${name}`);
    expect(id).not.toBe('');
    // both work: the file secret is mounted, the .env one is a file the container reads
    expect(await docker('exec', id, 'cat', '/run/secrets/db_pw')).toBe(fileSecret);
    expect(await docker('exec', id, 'cat', '/run/secrets/env_pw')).toBe(envSecret);
    const [inspect] = JSON.parse(await docker('inspect', id)) as {
      Config: { Labels: Record<string, string>; Env: string[] };
    }[];
    expect(inspect!.Config.Env).toContain('MODE=prod');
    expectNoSecret('container inspect', JSON.stringify(inspect));

    const down = await tscompose(['-p', name, 'down', '-t', '0'], { cwd });
    expect(down.code, down.stderr).toBe(0);
    expectNoSecret('down', output(down));
  });
});
