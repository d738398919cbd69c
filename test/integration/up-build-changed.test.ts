// `up --build=changed` and the notice of `up` and `ps` when a service's build sources changed since
// its image was built, through the CLI against the real engine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

const project = uniqueProject('buildchanged');
const compose = `
services:
  app:
    build: app
    init: true
    command: ["sleep", "infinity"]
  other:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
`;

describe('up --build=changed', () => {
  const dir = projectDir({ 'compose.yaml': compose });
  const run = (...args: string[]) => tscompose(['-p', project, ...args], { cwd: dir, env: { CI: 'true' } });
  const image = `${project}-app`;
  const imageId = () => docker('image', 'inspect', '-f', '{{.Id}}', image);
  const notice = 'app: sources changed since its image was built; run up --build';

  afterAll(async () => {
    await removeProject(project);
    await docker('rmi', '-f', image).catch(() => undefined);
  });

  it('says when sources changed, and rebuilds only then; `--build SERVICE` still names a service', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app/Dockerfile'), 'FROM debian:bookworm\nCOPY version /version\n');
    writeFileSync(join(dir, 'app/version'), '1\n');
    const first = await run('up', '-d');
    expect(first.code).toBe(0);
    const built = await imageId();

    // nothing changed: no notice, and --build=changed builds nothing
    expect((await run('ps')).stderr).not.toContain(notice);
    const unchanged = await run('up', '-d', '--build=changed');
    expect(unchanged.code).toBe(0);
    expect(unchanged.stderr).not.toContain(notice);
    expect(await imageId()).toBe(built);

    writeFileSync(join(dir, 'app/version'), '2\n');
    const ps = await run('ps');
    expect(ps.code).toBe(0);
    expect(ps.stderr).toContain(notice);
    expect(ps.stdout).toContain(`${project}-app-1`);
    const up = await run('up', '-d');
    expect(up.stderr).toContain(notice);
    expect(await imageId()).toBe(built);

    const rebuilt = await run('up', '-d', '--build=changed');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toContain('sources changed since the image was built');
    expect(await imageId()).not.toBe(built);
    expect(await docker('exec', `${project}-app-1`, 'cat', '/version')).toBe('2');
    expect((await run('ps')).stderr).not.toContain(notice);

    // the word after --build is a service, as in Compose: only it (and its dependencies) goes up
    await run('down');
    const one = await run('up', '-d', '--build', 'other');
    expect(one.code).toBe(0);
    expect(await docker('ps', '-q', '--filter', `name=${project}-app-1`)).toBe('');
    expect(await docker('ps', '-q', '--filter', `name=${project}-other-1`)).not.toBe('');
  });
});
