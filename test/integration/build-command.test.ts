// `tscompose build` through the bundled CLI, as users run it: a compose file on disk, plain progress
// on stderr, exit codes. The images are checked with the docker CLI.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { docker, uniqueProject } from '../support/docker.js';

const project = uniqueProject('buildcli');
let cli: BundledCli;
let dir: string;

async function write(rel: string, content: string) {
  await mkdir(dirname(join(dir, rel)), { recursive: true });
  await writeFile(join(dir, rel), content);
}

function tscompose(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.main, '-p', project, ...args], {
      cwd: dir,
      env: { ...process.env, CI: '1', GREETING_FROM_ENV: 'hi from the shell' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  cli = await bundleCli();
  dir = await mkdtemp(join(tmpdir(), 'tsc-build-cli-'));
  await write(
    'compose.yaml',
    [
      'services:',
      '  app:',
      '    build:',
      '      context: app',
      '      args: [GREETING_FROM_ENV]',
      '  cache:',
      '    image: debian:bookworm',
      '  broken:',
      '    build: broken',
      '    profiles: [broken]',
    ].join('\n'),
  );
  await write(
    'app/Dockerfile',
    'FROM debian:bookworm\nARG GREETING_FROM_ENV\nARG EXTRA=none\nRUN echo "$GREETING_FROM_ENV / $EXTRA" > /greeting\n',
  );
  await write('broken/Dockerfile', 'FROM debian:bookworm\nRUN echo "about to fail" && false\n');
}, 120_000);

afterAll(async () => {
  const ids = (await docker('images', '-q', '--filter', `label=com.docker.compose.project=${project}`))
    .split('\n')
    .filter(Boolean);
  if (ids.length) await docker('rmi', '-f', ...new Set(ids)).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  cli?.remove();
});

describe('tscompose build', () => {
  it('builds the services that have a build section, with --build-arg and args from the shell', async () => {
    const { code, stderr } = await tscompose('build', '--build-arg', 'EXTRA=from-cli');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/Service app\s+Built/);
    expect(stderr).toContain(' app | Step 1/');
    expect(stderr).not.toContain('cache');
    expect(await docker('run', '--rm', `${project}-app`, 'cat', '/greeting')).toBe(
      'hi from the shell / from-cli',
    );
  });

  it('fails with the step, its output, the Dockerfile line and a non-zero exit, even with -q', async () => {
    const { code, stderr } = await tscompose('--profile', 'broken', 'build', '-q', 'broken');
    expect(code).toBe(1);
    expect(stderr).not.toContain('Step 1/');
    expect(stderr).toContain(`error: service "broken" failed to build: step 2/`);
    expect(stderr).toContain(`${join(dir, 'broken/Dockerfile')}:2`);
    expect(stderr).toContain('| about to fail');
    expect(stderr).toContain('exited with status 1');
  });

  it('names an unknown service', async () => {
    const { code, stderr } = await tscompose('build', 'nope');
    expect(code).toBe(1);
    expect(stderr).toContain('no such service: nope');
  });
});
