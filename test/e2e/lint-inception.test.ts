// `tscompose lint --inception` on this repository's own Inception stack: srcs/ passes every static
// rule, and once `make up` runs it (with tscompose), every --probe rule passes on the running stack (TLS handshakes,
// ports, PID 1, a killed PID 1 coming back, the WordPress users, the domain, the data directories).
//
// Like test/e2e/inception.test.ts, it has its own LOGIN (so its own /home/<login>/data and
// <login>.42.fr), project name and image tag, and removes everything it made.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleResult } from '../../src/lint/types.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { freePort, tcpOpen } from '../support/probes.js';
import { cleanup } from '../support/steps.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MANDATORY = ['mariadb', 'wordpress', 'nginx'] as const;
const SECRETS = ['db_root_password', 'db_password', 'wp_admin_password', 'wp_user_password', 'ftp_password'];

const suffix = randomBytes(4).toString('hex');
const login = `tsclint${suffix}`;
const domain = `${login}.42.fr`;
const project = uniqueProject('lint');
const imageTag = `lint-${suffix}`;
const stackEnv: Record<string, string> = {
  LOGIN: login,
  PROJECT: project,
  IMAGE_TAG: imageTag,
  // make runs the stack with tscompose; LINT_E2E_COMPOSE="docker compose" runs it with Compose v2
  ...(process.env.LINT_E2E_COMPOSE ? { COMPOSE: process.env.LINT_E2E_COMPOSE } : {}),
};
let httpsPort = 443;
let port80OpenBefore = false;
let secretsDirExisted = false;
const secretsBefore = new Set<string>();

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const output: string[] = [];
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: output.join('') }));
  });
}

async function make(target: string): Promise<void> {
  const started = Date.now();
  const { code, out } = await run('make', ['--no-print-directory', target], stackEnv);
  console.log(`make ${target}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0)
    throw new Error(`make ${target} failed (exit ${code}):\n${out.split('\n').slice(-60).join('\n')}`);
}

interface JsonReport {
  ok: boolean;
  login?: string;
  results: RuleResult[];
}

async function lint(...args: string[]): Promise<{ code: number | null; report: JsonReport }> {
  const { code, out } = await run('node', ['dist/cli.js', ...args], stackEnv);
  try {
    return { code, report: JSON.parse(out) as JsonReport };
  } catch {
    throw new Error(`lint did not print JSON (exit ${code}):\n${out}`);
  }
}

const notPassed = (results: RuleResult[]) =>
  results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`);

describe('tscompose lint --inception on srcs/', () => {
  beforeAll(async () => {
    expect(existsSync(`/home/${login}`), `/home/${login} must not exist before the test`).toBe(false);
    httpsPort = await freePort(443);
    stackEnv.HTTPS_PORT = String(httpsPort);
    port80OpenBefore = await tcpOpen('127.0.0.1', 80);
    secretsDirExisted = existsSync(join(root, 'secrets'));
    for (const name of SECRETS) if (existsSync(join(root, `secrets/${name}.txt`))) secretsBefore.add(name);
    console.log(`lint e2e: LOGIN=${login} project=${project} https=${httpsPort}`);
  });

  afterAll(async () => {
    const { attempt, finish } = cleanup();
    await attempt('make fclean', () => make('fclean'));
    await attempt('remove the project', () => removeProject(project));
    for (const service of MANDATORY)
      await attempt(`remove ${service}:${imageTag}`, async () => {
        if (await docker('images', '-q', `${service}:${imageTag}`))
          await docker('rmi', `${service}:${imageTag}`);
      });
    if (/^tsclint[0-9a-f]{8}$/.test(login))
      await attempt(`remove /home/${login}`, () => rm(`/home/${login}`, { recursive: true, force: true }));
    await attempt('remove the /etc/hosts line', async () => {
      const hosts = await readFile('/etc/hosts', 'utf8');
      const kept = hosts.split('\n').filter((line) => line.trim().split(/\s+/).slice(1).indexOf(domain) < 0);
      if (kept.length !== hosts.split('\n').length) await writeFile('/etc/hosts', kept.join('\n'));
    });
    await attempt('remove the generated secrets', async () => {
      for (const name of SECRETS)
        if (!secretsBefore.has(name)) await rm(join(root, `secrets/${name}.txt`), { force: true });
      if (!secretsDirExisted) await rmdir(join(root, 'secrets')).catch(() => undefined);
    });
    finish();
  });

  it('passes every static rule', async () => {
    await make('dist/cli.js');
    const { code, report } = await lint('lint', '--inception', '--login', login, '--format', 'json');
    const expected =
      httpsPort === 443
        ? []
        : // 443 is taken on this machine: the stack publishes HTTPS_PORT instead, which the rule must see
          [`services.ports fail: nginx publishes ${httpsPort}:443/tcp: the only way in is port 443`];
    expect(notPassed(report.results)).toEqual(expected);
    expect(report.results.length).toBeGreaterThan(25);
    expect(code).toBe(expected.length ? 1 : 0);
  });

  it('passes every probe on the running stack, a killed PID 1 included', async () => {
    await make('up');
    const before = new Map<string, number>();
    for (const service of MANDATORY) {
      const id = await docker(
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
      );
      before.set(service, Number(await docker('inspect', '-f', '{{.RestartCount}}', id)));
    }

    const { report } = await lint(
      '-p',
      project,
      'lint',
      '--inception',
      '--probe',
      '--login',
      login,
      '--format',
      'json',
    );
    const probes = report.results.filter((r) => r.id.startsWith('probe.'));
    expect(probes.map((r) => r.id).sort()).toEqual(
      [
        'probe.domain',
        'probe.exposure',
        'probe.pid1',
        'probe.port-80',
        'probe.restart',
        'probe.running',
        'probe.tls-legacy',
        'probe.tls-modern',
        'probe.volumes',
        'probe.wp-users',
      ].sort(),
    );
    const expected = port80OpenBefore ? [expect.stringMatching(/^probe\.port-80 fail/)] : [];
    expect(notPassed(probes)).toEqual(expected);
    console.log(probes.map((r) => `${r.id}: ${r.message}`).join('\n'));

    // an independent witness: the engine restarted each container once its PID 1 was killed
    for (const service of MANDATORY) {
      const id = await docker(
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
      );
      expect(Number(await docker('inspect', '-f', '{{.RestartCount}}', id)), service).toBeGreaterThan(
        before.get(service)!,
      );
    }
  });
});
