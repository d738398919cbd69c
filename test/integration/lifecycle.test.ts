import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

// The lifecycle commands on one running project, each checked against what the engine says.

const name = uniqueProject('lifecycle');
const port = 20_000 + Math.floor(Math.random() * 20_000);
const cwd = projectDir({
  'compose.yaml': `
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "echo db says hello; touch /tmp/ready; exec sleep infinity"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
  web:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "echo web up; exec sleep infinity"]
    environment: { ROLE: web }
    ports: ["127.0.0.1:${port}:80"]
    depends_on:
      db: { condition: service_healthy }
`,
});
const cli = (...args: string[]) => tscompose(['-p', name, '--progress', 'plain', ...args], { cwd });
const state = (service: string) => docker('inspect', '-f', '{{.State.Status}}', `${name}-${service}-1`);

describe('lifecycle commands', () => {
  beforeAll(async () => {
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(() => removeProject(name));

  it('exec runs in the service container and passes the exit code through', async () => {
    const result = await cli('exec', '-T', 'web', 'sh', '-c', 'echo $ROLE; exit 7');
    expect(result).toMatchObject({ code: 7, stdout: 'web\n' });
    const stdin = await tscompose(['-p', name, 'exec', '-T', 'web', 'cat'], { cwd, stdin: 'fed through\n' });
    expect(stdin.stdout).toBe('fed through\n');
  });

  it('run makes a one-off container with its own exit code, removed with --rm', async () => {
    const result = await cli(
      'run',
      '--rm',
      '-T',
      '-e',
      'EXTRA=1',
      'web',
      'sh',
      '-c',
      'echo $ROLE $EXTRA; exit 4',
    );
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout).toBe('web 1\n');
    expect(
      await docker(
        'ps',
        '-aq',
        '--filter',
        `label=com.docker.compose.project=${name}`,
        '--filter',
        'label=com.docker.compose.oneoff=True',
      ),
    ).toBe('');
  });

  it('logs prints each container prefixed with its name', async () => {
    const result = await cli('logs', '--no-color');
    expect(result.stdout).toMatch(/db-1\s+\| db says hello/);
    expect(result.stdout).toMatch(/web-1\s+\| web up/);
  });

  it('ps, port, images, top and ls describe the running project', async () => {
    expect((await cli('ps', '--format', '{{.Service}} {{.State}}')).stdout.split('\n').sort()).toEqual([
      '',
      'db running',
      'web running',
    ]);
    expect((await cli('port', 'web', '80')).stdout).toBe(`127.0.0.1:${port}\n`);
    expect((await cli('images')).stdout).toMatch(new RegExp(`${name}-web-1\\s+debian\\s+bookworm`));
    expect((await cli('top', 'db')).stdout).toContain('sleep infinity');
    const projects = JSON.parse((await cli('ls', '--format', 'json')).stdout) as {
      Name: string;
      Status: string;
    }[];
    expect(projects.find((p) => p.Name === name)?.Status).toBe('running(2)');
  });

  it('stop, start, restart, pause, unpause and kill change the state the engine reports', async () => {
    expect((await cli('stop', 'web')).code).toBe(0);
    expect(await state('web')).toBe('exited');
    const started = await cli('start');
    expect(started.code, started.stderr).toBe(0);
    expect(await state('web')).toBe('running');
    const before = await docker('inspect', '-f', '{{.State.StartedAt}}', `${name}-web-1`);
    expect((await cli('restart', 'web')).code).toBe(0);
    expect(await docker('inspect', '-f', '{{.State.StartedAt}}', `${name}-web-1`)).not.toBe(before);
    expect((await cli('pause', 'web')).code).toBe(0);
    expect(await state('web')).toBe('paused');
    expect((await cli('unpause')).code).toBe(0);
    expect(await state('web')).toBe('running');
    expect((await cli('kill', '-s', 'SIGKILL', 'web')).code).toBe(0);
    expect(await state('web')).toBe('exited');
  });

  it('rm removes stopped containers only, and create makes them again without starting', async () => {
    expect((await cli('rm', '-f')).code).toBe(0);
    expect(
      await docker(
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${name}`,
        '--format',
        '{{.Names}}',
      ),
    ).toBe(`${name}-db-1`);
    const created = await cli('create');
    expect(created.code, created.stderr).toBe(0);
    expect(await state('web')).toBe('created');
  });
});

describe('attached up', () => {
  const attachedName = uniqueProject('attached');
  afterAll(() => removeProject(attachedName));

  it('streams the logs and exits with the code of --exit-code-from, stopping the rest', async () => {
    const dir = projectDir({
      'compose.yaml': `
services:
  job:
    image: debian:bookworm
    command: ["sh", "-c", "echo working; sleep 1; echo done; exit 3"]
  helper:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "echo helping; exec sleep infinity"]
`,
    });
    const result = await tscompose(
      ['-p', attachedName, '--progress', 'plain', 'up', '--exit-code-from', 'job', '--no-color'],
      {
        cwd: dir,
      },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toMatch(/job-1\s+\| working/);
    expect(result.stdout).toMatch(/job-1\s+\| done/);
    expect(result.stdout).toContain('job-1 exited with code 3');
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${attachedName}-helper-1`)).toBe('exited');
  });
});
