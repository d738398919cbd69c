// `tscompose deploy` of the mandatory Inception stack (srcs/) on a real single-node Docker Swarm:
// deploy, the WordPress page over https, a second deploy that changes nothing, wordpress scaled to 2,
// an edit that updates one service alone, stack ps / services, undeploy with the volumes kept.
//
// The engine is shared: the test makes it a swarm only when it is not one already (and leaves the
// swarm afterwards only then, even on failure), keeps swarm mode short (one file, serial tests), and
// removes what it made: services, networks, secrets, volumes, images, its data directory and the
// secrets files it generated. It has its own LOGIN, stack name and image tag, and publishes nginx on
// 443 when that port is free, else on a free port (HTTPS_PORT, which srcs/docker-compose.yml reads).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type BundledCli } from '../support/cli-bundle.js';
import { docker, uniqueProject } from '../support/docker.js';
import { freePort, httpsRequest, type HttpsTarget } from '../support/probes.js';
import { cleanup, until } from '../support/steps.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRETS = ['db_root_password', 'db_password', 'wp_admin_password', 'wp_user_password'];
const SERVICES = ['mariadb', 'wordpress', 'nginx'] as const;

const suffix = randomBytes(4).toString('hex');
const login = `tscsw${suffix}`;
const domain = `${login}.42.fr`;
const stack = uniqueProject('swarm');
const imageTag = `swarm-${suffix}`;
const label = `label=com.docker.stack.namespace=${stack}`;

let cli: BundledCli;
let dir: string;
let site: HttpsTarget;
let createdSwarm = false;
let gwbridgeBefore = false;
const secretsBefore = new Set<string>();
let secretsDirExisted = false;
/** Files after srcs/docker-compose.yml: the machine's override (see beforeAll), then the test's. */
const overrides: string[] = [];
const env: Record<string, string> = { LOGIN: login, IMAGE_TAG: imageTag };
let deployFailed: unknown;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], extraFiles: string[] = []): Promise<Run> {
  const files = ['srcs/docker-compose.yml', ...overrides, ...extraFiles].flatMap((f) => ['-f', f]);
  const argv = [cli.main, '--progress', 'plain', ...files, '-p', stack, command, ...args];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: root,
      env: { ...process.env, ...env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  console.log(
    `tscompose ${command} ${args.join(' ')}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

async function ok(command: string, args: string[], extraFiles: string[] = []): Promise<Run> {
  const result = await run(command, args, extraFiles);
  if (result.code !== 0)
    throw new Error(
      `tscompose ${command} failed (exit ${result.code}):\n${result.stderr.split('\n').slice(-40).join('\n')}`,
    );
  return result;
}

function needStack(): void {
  if (deployFailed)
    throw new Error(
      `the stack was not deployed (see the first deploy): ${String(deployFailed).split('\n')[0]}`,
    );
}

const lines = (text: string) => text.split('\n').filter(Boolean);

/** Each service's object version: it moves when the service is updated (or scaled), not otherwise. */
async function versions(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const service of SERVICES)
    out[service] = Number(
      await docker('service', 'inspect', '-f', '{{.Version.Index}}', `${stack}_${service}`),
    );
  return out;
}

async function frontPage(): Promise<string> {
  // a task that has just been replaced may take a moment behind nginx: ask until WordPress answers
  return until('the WordPress front page', 60_000, async () => {
    const res = await httpsRequest(site, { path: '/' });
    return res.status === 200 ? res.body : undefined;
  });
}

function writeOverride(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('tscompose deploy: the Inception stack on Docker Swarm', () => {
  beforeAll(async () => {
    expect(existsSync(`/home/${login}`), `/home/${login} must not exist before the test`).toBe(false);
    cli = await bundleCli();
    dir = mkdtempSync(join(tmpdir(), 'tsc-swarm-'));
    const httpsPort = await freePort(443);
    env.HTTPS_PORT = String(httpsPort);
    site = { host: '127.0.0.1', port: httpsPort, servername: domain };

    gwbridgeBefore = (await docker('network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$')) !== '';
    const state = await docker('info', '--format', '{{.Swarm.LocalNodeState}}');
    if (state === 'inactive') {
      await docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
      createdSwarm = true;
    }
    // Swarm's service addresses (VIP) and its ingress routing mesh need IPVS in the kernel; without
    // it (dockerd logs "ipvs is not enabled in your kernel") services reach each other by their tasks'
    // own addresses (endpoint_mode: dnsrr) and nginx publishes 443 on the node itself (mode: host)
    if (!existsSync('/proc/net/ip_vs')) {
      overrides.push(
        writeOverride(
          'no-ipvs.yml',
          `services:
  mariadb:
    deploy: { endpoint_mode: dnsrr }
  wordpress:
    deploy: { endpoint_mode: dnsrr }
  nginx:
    deploy: { endpoint_mode: dnsrr }
    ports: !override
      - { target: 443, published: "\${HTTPS_PORT}", mode: host }
`,
        ),
      );
    }
    console.log(
      `swarm e2e: LOGIN=${login} stack=${stack} https=${httpsPort} swarm ${createdSwarm ? 'created' : 'already there'}` +
        (overrides.length ? ', no IPVS here: dnsrr and host-mode ports' : ''),
    );

    // the data directories and the secrets, as `make data-dirs secrets` makes them
    for (const sub of ['mariadb', 'wordpress', 'backups'])
      mkdirSync(`/home/${login}/data/${sub}`, { recursive: true });
    secretsDirExisted = existsSync(join(root, 'secrets'));
    for (const name of SECRETS) if (existsSync(join(root, `secrets/${name}.txt`))) secretsBefore.add(name);
    await new Promise<void>((resolve, reject) => {
      const make = spawn('make', ['--no-print-directory', ...SECRETS.map((s) => `secrets/${s}.txt`)], {
        cwd: root,
        stdio: 'ignore',
      });
      make.on('error', reject);
      make.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`make secrets: exit ${code}`))));
    });
  });

  afterAll(async () => {
    const { attempt, finish } = cleanup();
    await attempt('remove the services', async () => {
      const services = lines(await docker('service', 'ls', '-q', '--filter', label));
      if (services.length) await docker('service', 'rm', ...services);
    });
    await attempt('wait for the task containers to go', () =>
      until('the task containers gone', 120_000, async () =>
        (await docker('ps', '-aq', '--filter', label)) === '' ? true : undefined,
      ),
    );
    await attempt('remove the secrets', async () => {
      const secrets = lines(await docker('secret', 'ls', '-q', '--filter', label));
      if (secrets.length) await docker('secret', 'rm', ...secrets);
    });
    await attempt('remove the networks', async () => {
      const networks = lines(await docker('network', 'ls', '-q', '--filter', label));
      if (networks.length) await docker('network', 'rm', ...networks);
    });
    if (createdSwarm) {
      await attempt('leave the swarm', () => docker('swarm', 'leave', '--force'));
      if (!gwbridgeBefore)
        await attempt('remove docker_gwbridge', async () => {
          if (await docker('network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$'))
            await docker('network', 'rm', 'docker_gwbridge');
        });
    }
    await attempt('remove the volumes', async () => {
      const volumes = lines(await docker('volume', 'ls', '-q', '--filter', `name=^${stack}_`));
      if (volumes.length) await docker('volume', 'rm', ...volumes);
    });
    for (const service of SERVICES)
      await attempt(`remove ${service}:${imageTag}`, async () => {
        if (await docker('images', '-q', `${service}:${imageTag}`))
          await docker('rmi', `${service}:${imageTag}`);
      });
    if (/^tscsw[0-9a-f]{8}$/.test(login))
      await attempt(`remove /home/${login}`, async () =>
        rmSync(`/home/${login}`, { recursive: true, force: true }),
      );
    await attempt('remove the generated secrets', async () => {
      for (const name of SECRETS)
        if (!secretsBefore.has(name)) rmSync(join(root, `secrets/${name}.txt`), { force: true });
      if (!secretsDirExisted && existsSync(join(root, 'secrets'))) rmdirSync(join(root, 'secrets'));
    });
    cli?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
    finish();
  });

  it('deploy --dry-run shows the plan and what Swarm cannot honour, and creates nothing', async () => {
    const { stdout } = await ok('deploy', ['--dry-run']);
    const plan = lines(stdout);
    expect(plan[0]).toBe(`images to build first: ${SERVICES.map((s) => `${s}:${imageTag}`).join(', ')}`);
    expect(plan[1]).toMatch(new RegExp(`^stack ${stack}: 10 operations$`));
    expect(plan.filter((l) => /^\s*\d+\s+create secret\s/.test(l))).toHaveLength(4);
    for (const service of SERVICES)
      expect(stdout).toMatch(new RegExp(`create service +${stack}_${service} .*1 replica`));
    expect(stdout).toMatch(new RegExp(`wait healthy +${stack}_mariadb .* for wordpress`));
    expect(stdout).toMatch(new RegExp(`wait healthy +${stack}_wordpress .* for nginx`));
    expect(stdout).toContain(
      'warning: service wordpress: depends_on: Swarm starts and restarts services in any order; tscompose deploys mariadb first and waits until the tasks of mariadb are healthy, but only during this deploy',
    );
    expect(stdout).toContain('warning: network inception: driver: bridge connects one machine only');
    expect(await docker('service', 'ls', '-q', '--filter', label)).toBe('');
    expect(await docker('secret', 'ls', '-q', '--filter', label)).toBe('');
  });

  it('deploy builds the images, deploys in order, and the WordPress site answers over https', async () => {
    const result = await run('deploy', ['--wait', '--wait-timeout', '600']);
    if (result.code !== 0) {
      deployFailed = result.stderr;
      const ps = await run('stack', ['ps', '--no-trunc']);
      throw new Error(
        `deploy failed (exit ${result.code}):\n${result.stderr.split('\n').slice(-30).join('\n')}\n${ps.stdout}`,
      );
    }
    // the warnings come before the first engine call
    const stderr = lines(result.stderr);
    const firstWarning = stderr.findIndex((l) => l.includes('service nginx: build: Swarm builds nothing'));
    const firstService = stderr.findIndex((l) => l.includes(`Service ${stack}_mariadb  Creating`));
    expect(firstWarning).toBeGreaterThanOrEqual(0);
    expect(firstWarning).toBeLessThan(firstService);
    // mariadb was healthy before wordpress was created, wordpress before nginx
    const at = (text: string) => stderr.findIndex((l) => l.includes(text));
    expect(at(`Service ${stack}_mariadb  Healthy`)).toBeLessThan(at(`Service ${stack}_wordpress  Creating`));
    expect(at(`Service ${stack}_wordpress  Healthy`)).toBeLessThan(at(`Service ${stack}_nginx  Creating`));

    const body = await frontPage();
    expect(body).toMatch(/<meta name="generator" content="WordPress \d/);
    expect(body).not.toContain('install.php');

    const services = lines(
      (await ok('stack', ['services', '--format', '{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}}'])).stdout,
    );
    expect(services).toEqual(SERVICES.map((s) => `${stack}_${s} replicated 1/1 ${s}:${imageTag}`).sort());
    // secrets are Swarm secrets with content-addressed names, mounted where the entrypoints read them
    const secretNames = lines(
      await docker('secret', 'ls', '--format', '{{.Name}}', '--filter', label),
    ).sort();
    const prefix = `${stack}_`;
    expect(
      secretNames
        .map((n) => (n.startsWith(prefix) ? n.slice(prefix.length) : n).replace(/-[0-9a-f]{10}$/, ''))
        .sort(),
    ).toEqual([...SECRETS].sort());
    for (const name of secretNames) expect(name).toMatch(new RegExp(`^${stack}_[a-z_]+-[0-9a-f]{10}$`));
  });

  it('a second deploy changes nothing', async () => {
    needStack();
    expect(lines((await ok('deploy', ['--dry-run'])).stdout)[0]).toBe(`stack ${stack}: nothing to do`);
    const before = await versions();
    const { stderr } = await ok('deploy', []);
    expect(stderr).toContain(`stack ${stack}: nothing to do, 3 services up to date`);
    expect(await versions()).toEqual(before);
  });

  it('scales wordpress to 2 replicas, and only wordpress changes', async () => {
    needStack();
    const scale = writeOverride('scale.yml', 'services:\n  wordpress:\n    deploy: { replicas: 2 }\n');
    const before = await versions();
    const { stdout } = await ok('deploy', ['--dry-run'], [scale]);
    expect(stdout).toMatch(new RegExp(`scale service +${stack}_wordpress .*1 → 2 replicas`));
    await ok('deploy', ['--wait', '--wait-timeout', '300'], [scale]);
    const after = await versions();
    expect(after.wordpress).toBeGreaterThan(before.wordpress!);
    expect({ mariadb: after.mariadb, nginx: after.nginx }).toEqual({
      mariadb: before.mariadb,
      nginx: before.nginx,
    });
    const running = lines(
      (await ok('stack', ['ps', '--format', '{{.Name}} {{.DesiredState}} {{.CurrentState}}'], [scale]))
        .stdout,
    ).filter((l) => l.includes(`${stack}_wordpress.`) && / Running Running /.test(l));
    expect(running.map((l) => l.split(' ')[0]).sort()).toEqual([
      `${stack}_wordpress.1`,
      `${stack}_wordpress.2`,
    ]);
    const table = (await ok('stack', ['services'], [scale])).stdout;
    const ps = (await ok('stack', ['ps'], [scale])).stdout;
    console.log(`${table}\n${ps}`);
    expect(lines(table)[0]).toMatch(/^ID +NAME +MODE +REPLICAS +IMAGE +PORTS$/);
    expect(table).toMatch(new RegExp(`${stack}_wordpress +replicated +2/2 +wordpress:${imageTag}\n`));
    expect(table).toMatch(
      new RegExp(`${stack}_nginx +replicated +1/1 +nginx:${imageTag} +\\*?:${site.port}->443/tcp\n`),
    );
    expect(lines(ps)[0]).toMatch(/^ID +NAME +IMAGE +NODE +DESIRED STATE +CURRENT STATE +ERROR +PORTS$/);
    expect(await frontPage()).toMatch(/WordPress/);
    overrides.push(scale);
  });

  it('redeploys after an edit of one service, and only that service updates', async () => {
    needStack();
    const edit = writeOverride('edit.yml', 'services:\n  nginx:\n    environment:\n      EDITED: "yes"\n');
    const before = await versions();
    const { stdout } = await ok('deploy', ['--dry-run'], [edit]);
    expect(stdout).toMatch(new RegExp(`update service +${stack}_nginx .*environment\\.EDITED added`));
    expect(stdout).toMatch(new RegExp(`keep service +${stack}_wordpress .*unchanged, 2/2`));
    await ok('deploy', ['--wait', '--wait-timeout', '300'], [edit]);
    const after = await versions();
    expect(after.nginx).toBeGreaterThan(before.nginx!);
    expect({ mariadb: after.mariadb, wordpress: after.wordpress }).toEqual({
      mariadb: before.mariadb,
      wordpress: before.wordpress,
    });
    const env = await docker(
      'service',
      'inspect',
      '-f',
      '{{json .Spec.TaskTemplate.ContainerSpec.Env}}',
      `${stack}_nginx`,
    );
    expect(JSON.parse(env)).toContain('EDITED=yes');
    expect(await frontPage()).toMatch(/WordPress/);
  });

  it('undeploy removes the services, network and secrets, and keeps the volumes and the data', async () => {
    needStack();
    const { stderr } = await ok('undeploy', []);
    expect(stderr).toContain(`stack ${stack} removed (its volumes are kept)`);
    expect(await docker('service', 'ls', '-q', '--filter', label)).toBe('');
    expect(await docker('secret', 'ls', '-q', '--filter', label)).toBe('');
    // the task containers go with their tasks (Docker removes them a moment after Swarm deletes the tasks)
    await until('the task containers gone', 30_000, async () =>
      (await docker('ps', '-aq', '--filter', label)) === '' ? true : undefined,
    );
    expect(await docker('network', 'ls', '-q', '--filter', label)).toBe('');
    const volumes = lines(
      await docker('volume', 'ls', '--format', '{{.Name}}', '--filter', `name=^${stack}_`),
    ).sort();
    expect(volumes).toEqual([`${stack}_mariadb`, `${stack}_wordpress`]);
    expect(readdirSync(`/home/${login}/data/wordpress`)).toContain('wp-settings.php');
    expect(readdirSync(`/home/${login}/data/mariadb`).length).toBeGreaterThan(0);
    const again = await ok('stack', ['services']);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(`Nothing found in stack: ${stack}\n`);
  });
});
