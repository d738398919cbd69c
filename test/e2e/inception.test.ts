// The Inception stack of srcs/, run the way a 42 student runs it (make fclean, make up, make down,
// make bonus), and every rule of the subject probed from the outside on a real engine.
//
// It runs with tscompose (the Makefile's default) or, to compare, with another Compose:
//   INCEPTION_COMPOSE="docker compose" npx vitest run --project e2e test/e2e/inception.test.ts
//
// Nothing of a real user is touched: the test has its own LOGIN (so its own /home/<login>/data and
// <login>.42.fr), project name and image tag, publishes nginx and FTP on free ports the system picks
// (containers still listen on 443 and 21; INCEPTION_E2E_HTTPS_PORT=443 and INCEPTION_E2E_FTP_PORT=21
// ask for the standard ones, as on an evaluation machine), and removes everything it made:
// containers, network, volumes, its images, its data directory, its /etc/hosts line, and the secrets
// it generated (secrets that were there before are used and left alone).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import {
  freePort,
  freePortRange,
  ftpUpload,
  httpsRequest,
  tcpOpen,
  tlsHandshake,
  withTlsServer,
  type HttpsTarget,
} from '../support/probes.js';
import { cleanup, until } from '../support/steps.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dotenv = parseDotenv(await readFile(join(root, 'srcs/.env'), 'utf8'));
const composeFile = parseYaml(await readFile(join(root, 'srcs/docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; profiles?: string[] }>;
};

const MANDATORY = ['mariadb', 'wordpress', 'nginx'] as const;
const BONUS = ['redis', 'ftp', 'website', 'adminer', 'backup'] as const;
type Service = (typeof MANDATORY)[number] | (typeof BONUS)[number];
/** The program each container must run as PID 1 (its /proc/1/comm). */
const DAEMON: Record<Service, string> = {
  mariadb: 'mariadbd',
  wordpress: 'php-fpm8.2',
  nginx: 'nginx',
  redis: 'redis-server',
  ftp: 'proftpd',
  website: 'lighttpd',
  adminer: 'php-fpm8.2',
  backup: 'cron',
};
const SECRETS = ['db_root_password', 'db_password', 'wp_admin_password', 'wp_user_password', 'ftp_password'];

const suffix = randomBytes(4).toString('hex');
const login = `tsce2e${suffix}`;
const domain = `${login}.42.fr`;
const dataDir = `/home/${login}/data`;
const project = uniqueProject('inception');
const imageTag = `e2e-${suffix}`;
/** The Compose command make runs, when not tscompose (the Makefile's default). */
const composeOverride = process.env.INCEPTION_COMPOSE;

const stackEnv: Record<string, string> = {
  LOGIN: login,
  PROJECT: project,
  IMAGE_TAG: imageTag,
  ...(composeOverride ? { COMPOSE: composeOverride } : {}),
};
let site: HttpsTarget;
const secretsBefore = new Set<string>();
let secretsDirExisted = false;
const portsOpenBefore = new Map<number, boolean>();
const secrets = new Map<string, string>();
/** Why the stack is not there, when the first make up failed: the later tests say so and stop. */
let upFailed: unknown;

function needStack(): void {
  if (upFailed) {
    throw new Error(`the stack did not come up (see the first test): ${String(upFailed).split('\n')[0]}`);
  }
}

interface ContainerInfo {
  Id: string;
  Name: string;
  RestartCount: number;
  State: { Pid: number; Running: boolean; Health?: { Status: string } };
  Config: { Image: string; Env: string[] };
  HostConfig: { RestartPolicy: { Name: string }; NetworkMode: string; Links: string[] | null };
  NetworkSettings: { Ports: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

/** Runs `make <target>` at the repository root with the test's LOGIN, project, tag and ports. */
async function make(target: string): Promise<string> {
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('make', ['--no-print-directory', target], {
      cwd: root,
      env: { ...process.env, ...stackEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = output.join('');
  console.log(`make ${target}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) {
    throw new Error(
      `make ${target} failed (exit ${code}); its last lines:\n${text.split('\n').slice(-60).join('\n')}`,
    );
  }
  return text;
}

async function containerId(service: Service): Promise<string> {
  const ids = (
    await docker(
      'ps',
      '-q',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--filter',
      `label=com.docker.compose.service=${service}`,
    )
  )
    .split('\n')
    .filter(Boolean);
  expect(ids, `one running container for ${service}`).toHaveLength(1);
  return ids[0]!;
}

async function inspect(service: Service): Promise<ContainerInfo> {
  const [info] = JSON.parse(await docker('inspect', await containerId(service))) as ContainerInfo[];
  return info!;
}

async function projectContainers(): Promise<string[]> {
  const out = await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`);
  return out.split('\n').filter(Boolean);
}

async function expectHealthy(services: readonly Service[]): Promise<void> {
  for (const service of services) {
    const info = await inspect(service);
    expect(info.State.Running, `${service} runs`).toBe(true);
    expect(info.State.Health?.Status, `${service} has a health check and is healthy`).toBe('healthy');
  }
}

async function frontPage(): Promise<string> {
  const res = await httpsRequest(site, { path: '/' });
  expect(res.status).toBe(200);
  return res.body;
}

/** SQL run in the mariadb container as WordPress's user (its password read from the secret in there). */
async function sql(query: string): Promise<string[][]> {
  const id = await containerId('mariadb');
  const out = await docker(
    'exec',
    id,
    'sh',
    '-c',
    'MYSQL_PWD=$(cat /run/secrets/db_password) exec mariadb -u"$MYSQL_USER" "$MYSQL_DATABASE" -N -B -e "$1"',
    'sql',
    query,
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Publishes a post through WordPress's XML-RPC API as the administrator; returns its id. */
async function publishPost(title: string, content: string): Promise<number> {
  const member = (name: string, value: string) =>
    `<member><name>${name}</name><value><string>${xmlEscape(value)}</string></value></member>`;
  const body =
    '<?xml version="1.0"?><methodCall><methodName>wp.newPost</methodName><params>' +
    '<param><value><int>1</int></value></param>' +
    `<param><value><string>${xmlEscape(dotenv.WP_ADMIN_USER!)}</string></value></param>` +
    `<param><value><string>${xmlEscape(secrets.get('wp_admin_password')!)}</string></value></param>` +
    `<param><value><struct>${member('post_title', title)}${member('post_content', content)}${member('post_status', 'publish')}</struct></value></param>` +
    '</params></methodCall>';
  const res = await httpsRequest(site, {
    method: 'POST',
    path: '/xmlrpc.php',
    headers: { 'Content-Type': 'text/xml' },
    body,
  });
  expect(res.status).toBe(200);
  const id = /<string>(\d+)<\/string>/.exec(res.body);
  if (!id) throw new Error(`wp.newPost did not return a post id:\n${res.body}`);
  return Number(id[1]);
}

/** A post's page: /?p=<id> redirects to its permalink, which answers 200. */
async function postPage(id: number): Promise<string> {
  const short = await httpsRequest(site, { path: `/?p=${id}` });
  expect(short.status, `/?p=${id}`).toBe(301);
  const permalink = new URL(String(short.headers.location));
  expect(permalink.host).toBe(domain);
  const page = await httpsRequest(site, { path: permalink.pathname + permalink.search });
  expect(page.status, permalink.pathname).toBe(200);
  return page.body;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Kills each service's PID 1 from the host and waits until the engine has brought it back, healthy. */
async function killAndExpectRestart(services: readonly Service[]): Promise<void> {
  const before = new Map<Service, ContainerInfo>();
  for (const service of services) before.set(service, await inspect(service));
  for (const [service, info] of before) {
    expect(info.HostConfig.RestartPolicy.Name, `${service} has a restart policy`).toMatch(
      /^(always|unless-stopped|on-failure)$/,
    );
    process.kill(info.State.Pid, 'SIGKILL');
  }
  for (const [service, info] of before) {
    await until(`${service} restarted and healthy`, 180_000, async () => {
      const now = await inspect(service);
      return now.Id === info.Id &&
        now.RestartCount > info.RestartCount &&
        now.State.Running &&
        now.State.Pid !== info.State.Pid &&
        now.State.Health?.Status === 'healthy'
        ? true
        : undefined;
    });
  }
}

async function expectPid1IsTheDaemon(services: readonly Service[]): Promise<void> {
  for (const service of services) {
    const { State } = await inspect(service);
    const comm = (await readFile(`/proc/${State.Pid}/comm`, 'utf8')).trim();
    expect(comm, `PID 1 of ${service}`).toBe(DAEMON[service]);
  }
}

/** Every published port of the project's running containers, as "service container-port/proto". */
async function publishedPorts(services: readonly Service[]): Promise<string[]> {
  const published: string[] = [];
  for (const service of services) {
    const info = await inspect(service);
    for (const [port, bindings] of Object.entries(info.NetworkSettings.Ports ?? {})) {
      if (bindings?.length) published.push(`${service} ${port}`);
    }
  }
  return published.sort();
}

describe(`the Inception stack, run by make (${composeOverride ?? 'tscompose'})`, () => {
  beforeAll(async () => {
    expect(existsSync(`/home/${login}`), `/home/${login} must not exist before the test`).toBe(false);
    // Fixed host ports would race with anything else on a shared machine during the minutes of a build.
    const httpsPort = await freePort(Number(process.env.INCEPTION_E2E_HTTPS_PORT ?? 0));
    const ftpPort = await freePort(Number(process.env.INCEPTION_E2E_FTP_PORT ?? 0));
    const pasvMin = await freePortRange(21100, 5);
    Object.assign(stackEnv, {
      HTTPS_PORT: String(httpsPort),
      FTP_PORT: String(ftpPort),
      FTP_PASV_MIN_PORT: String(pasvMin),
      FTP_PASV_MAX_PORT: String(pasvMin + 4),
    });
    site = { host: '127.0.0.1', port: httpsPort, servername: domain };
    console.log(`inception e2e: LOGIN=${login} project=${project} https=${httpsPort} ftp=${ftpPort}`);

    secretsDirExisted = existsSync(join(root, 'secrets'));
    for (const name of SECRETS) if (existsSync(join(root, `secrets/${name}.txt`))) secretsBefore.add(name);
    for (const port of [80, 3306, 9000, 6379, 8080])
      portsOpenBefore.set(port, await tcpOpen('127.0.0.1', port));

    await make('fclean');
  });

  afterAll(async () => {
    const { attempt, finish } = cleanup();
    await attempt('make fclean', () => make('fclean'));
    await attempt('remove the project', () => removeProject(project));
    for (const service of [...MANDATORY, ...BONUS]) {
      await attempt(`remove ${service}:${imageTag}`, async () => {
        if (await docker('images', '-q', `${service}:${imageTag}`))
          await docker('rmi', `${service}:${imageTag}`);
      });
    }
    if (/^tsce2e[0-9a-f]{8}$/.test(login)) {
      await attempt(`remove /home/${login}`, () => rm(`/home/${login}`, { recursive: true, force: true }));
    }
    await attempt('remove the /etc/hosts line', async () => {
      const hosts = await readFile('/etc/hosts', 'utf8');
      const kept = hosts.split('\n').filter((line) => line.trim().split(/\s+/).slice(1).indexOf(domain) < 0);
      if (kept.length !== hosts.split('\n').length) await writeFile('/etc/hosts', kept.join('\n'));
    });
    await attempt('remove the generated secrets', async () => {
      for (const name of SECRETS) {
        if (!secretsBefore.has(name)) await rm(join(root, `secrets/${name}.txt`), { force: true });
      }
      if (!secretsDirExisted) await rmdir(join(root, 'secrets')).catch(() => undefined);
    });
    finish();
  });

  it('make up ends with the mandatory stack healthy, and the domain in /etc/hosts once', async () => {
    await make('up').catch((error: unknown) => {
      upFailed = error;
      throw error;
    });
    await expectHealthy(MANDATORY);
    for (const name of SECRETS)
      secrets.set(name, (await readFile(join(root, `secrets/${name}.txt`), 'utf8')).trim());
    for (const [name, value] of secrets) expect(value.length, `secret ${name}`).toBeGreaterThanOrEqual(16);

    const hosts = (await readFile('/etc/hosts', 'utf8')).split('\n');
    const lines = hosts.filter((line) => !line.trim().startsWith('#') && line.split(/\s+/).includes(domain));
    expect(lines).toEqual([`127.0.0.1 ${domain}`]);
    expect((await lookup(domain, { family: 4 })).address).toBe('127.0.0.1');
  });

  it(`https://<login>.42.fr/ answers 200 with the WordPress site, not its installer`, async () => {
    needStack();
    const body = await frontPage();
    expect(body).toMatch(/<meta name="generator" content="WordPress \d/);
    expect(body).toContain(`<title>${dotenv.WP_TITLE}`);
    expect(body).not.toContain('install.php');
    // the same through the name, as a browser on the machine would go
    const byName = await httpsRequest({ ...site, host: domain }, { path: '/' });
    expect(byName.status).toBe(200);
    const install = await httpsRequest(site, { path: '/wp-admin/install.php' });
    expect(install.body).toContain('Already Installed');
  });

  it('speaks TLS 1.2 and 1.3 only, and TLS 1.0 and 1.1 are really offered and refused', async () => {
    needStack();
    const tls12 = await tlsHandshake(site, 'TLSv1.2');
    expect(tls12).toMatchObject({ ok: true, protocol: 'TLSv1.2' });
    expect(tls12.ok && tls12.peerSubjectAltName).toContain(`DNS:${domain}`);
    expect(await tlsHandshake(site, 'TLSv1.3')).toMatchObject({ ok: true, protocol: 'TLSv1.3' });

    // the positive control: a local server that accepts only TLS 1.0 (or 1.1) completes a handshake
    // with the very same client, so the client does offer those versions
    const nginx = await containerId('nginx');
    const credentials = {
      key: await docker('exec', nginx, 'cat', '/etc/nginx/ssl/inception.key'),
      cert: await docker('exec', nginx, 'cat', '/etc/nginx/ssl/inception.crt'),
    };
    for (const version of ['TLSv1', 'TLSv1.1'] as const) {
      const control = await withTlsServer(credentials, version, (port) =>
        tlsHandshake({ host: '127.0.0.1', port, servername: domain }, version),
      );
      expect(control, `the client offers ${version}`).toMatchObject({ ok: true, protocol: version });
      const refused = await tlsHandshake(site, version);
      expect(refused.ok, `nginx refuses ${version}`).toBe(false);
      expect(refused.ok ? '' : refused.code).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS/);
    }
  });

  it('publishes port 443 only: port 80, MariaDB and php-fpm are not reachable from the host', async () => {
    needStack();
    expect(await publishedPorts(MANDATORY)).toEqual(['nginx 443/tcp']);
    for (const port of [80, 3306, 9000]) {
      if (!portsOpenBefore.get(port))
        expect(await tcpOpen('127.0.0.1', port), `127.0.0.1:${port}`).toBe(false);
    }
    for (const service of MANDATORY) {
      const info = await inspect(service);
      expect(info.HostConfig.NetworkMode, `${service} is on the project's bridge network`).not.toMatch(
        /^(host|bridge|default)$/,
      );
      expect(info.HostConfig.Links ?? []).toEqual([]);
    }
    const network = JSON.parse(await docker('network', 'inspect', `${project}_inception`)) as {
      Driver: string;
    }[];
    expect(network[0]?.Driver).toBe('bridge');
  });

  it('has the two WordPress users, and the administrator login does not contain "admin"', async () => {
    needStack();
    const users = await sql(
      "SELECT u.user_login, m.meta_value FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID AND m.meta_key = 'wp_capabilities'",
    );
    const admins = users.filter(([, caps]) => caps?.includes('"administrator"')).map(([login]) => login);
    const others = users.filter(([, caps]) => !caps?.includes('"administrator"')).map(([login]) => login);
    expect(admins).toEqual([dotenv.WP_ADMIN_USER]);
    for (const admin of admins) expect(admin).not.toMatch(/admin/i);
    expect(others).toEqual([dotenv.WP_USER]);
  });

  it('runs each daemon as PID 1, with no keep-alive hacks, and brings a killed container back', async () => {
    needStack();
    await expectPid1IsTheDaemon(MANDATORY);
    const srcs = await filesUnder(join(root, 'srcs'));
    for (const file of srcs) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/tail\s+-f|sleep\s+infinity|while\s+(true|:)|sleep\s+\d{4,}/);
      if (file.endsWith('/tools/entrypoint.sh')) {
        const lines = text.trim().split('\n');
        expect(lines[lines.length - 1], `${file} ends with exec`).toMatch(/^exec /);
      }
    }
    await killAndExpectRestart(MANDATORY);
    await expectPid1IsTheDaemon(MANDATORY);
    await frontPage();
  });

  it('names each image like its service with a tag that is not latest', async () => {
    needStack();
    for (const [service, definition] of Object.entries(composeFile.services)) {
      expect(definition.image, `services.${service}.image`).toMatch(
        new RegExp(`^${service}:\\$\\{IMAGE_TAG\\}$`),
      );
    }
    expect(dotenv.IMAGE_TAG).toMatch(/^(?!latest$)[\w.-]+$/);
    for (const service of MANDATORY) {
      expect((await inspect(service)).Config.Image).toBe(`${service}:${imageTag}`);
    }
    for (const dir of ['nginx', 'wordpress', 'mariadb', ...BONUS.map((s) => `bonus/${s}`)]) {
      const dockerfile = await readFile(join(root, 'srcs/requirements', dir, 'Dockerfile'), 'utf8');
      expect(dockerfile.match(/^FROM\s+\S+/gm), `${dir}/Dockerfile`).toEqual(['FROM debian:bookworm']);
    }
  });

  it('keeps a post made through WordPress across make down && make up, in /home/<login>/data', async () => {
    needStack();
    const title = `Inception e2e ${suffix}`;
    const id = await publishPost(title, 'Written through XML-RPC by the end-to-end test.');
    expect(await postPage(id)).toContain(title);

    await make('down');
    expect(await projectContainers()).toEqual([]);
    const needle = Buffer.from(title);
    let found = false;
    for (const file of await filesUnder(join(dataDir, 'mariadb'))) {
      if ((await stat(file)).size > 0 && (await readFile(file)).includes(needle)) {
        found = true;
        break;
      }
    }
    expect(found, `the post's title is in a file under ${dataDir}/mariadb`).toBe(true);
    expect(existsSync(join(dataDir, 'wordpress/wp-settings.php'))).toBe(true);
    for (const volume of ['mariadb', 'wordpress']) {
      const [info] = JSON.parse(await docker('volume', 'inspect', `${project}_${volume}`)) as {
        Options: Record<string, string>;
      }[];
      expect(info?.Options).toMatchObject({ type: 'none', o: 'bind', device: `${dataDir}/${volume}` });
    }

    await make('up');
    await expectHealthy(MANDATORY);
    expect(await postPage(id)).toContain(title);
    const hosts = (await readFile('/etc/hosts', 'utf8')).split('\n').filter((line) => line.includes(domain));
    expect(hosts, 'the second make up did not add the domain again').toHaveLength(1);
  });

  it('shows no secret in the images, their history, docker inspect, the environment or the repository', async () => {
    needStack();
    const ids = await projectContainers();
    const images = MANDATORY.map((service) => `${service}:${imageTag}`);
    const witnesses = [
      await docker('inspect', ...ids),
      await docker('image', 'inspect', ...images),
      ...(await Promise.all(images.map((image) => docker('history', '--no-trunc', image)))),
    ];
    const tracked = (await gitLsFiles()).filter((file) => existsSync(join(root, file)));
    for (const file of tracked) witnesses.push(await readFile(join(root, file), 'utf8'));
    for (const [name, value] of secrets) {
      for (const text of witnesses) expect(text.includes(value), `the ${name} value is visible`).toBe(false);
    }
    for (const service of MANDATORY) {
      const env = (await inspect(service)).Config.Env.map((entry) => entry.split('=')[0]);
      expect(
        env.filter((name) => /PASS|SECRET/i.test(name ?? '')),
        `${service} env`,
      ).toEqual([]);
    }
    expect(await gitCheckIgnored('secrets/db_password.txt')).toBe(true);
  });

  it('make bonus: redis caches WordPress, FTP writes to the site, the static site and Adminer answer, backups work', async () => {
    needStack();
    await make('bonus');
    await expectHealthy([...MANDATORY, ...BONUS]);
    await expectPid1IsTheDaemon(BONUS);
    for (const service of BONUS) expect((await inspect(service)).Config.Image).toBe(`${service}:${imageTag}`);
    expect(await publishedPorts([...MANDATORY, ...BONUS])).toEqual(
      [
        `ftp ${stackEnv.FTP_PASV_MIN_PORT}/tcp`,
        `ftp ${Number(stackEnv.FTP_PASV_MIN_PORT) + 1}/tcp`,
        `ftp ${Number(stackEnv.FTP_PASV_MIN_PORT) + 2}/tcp`,
        `ftp ${Number(stackEnv.FTP_PASV_MIN_PORT) + 3}/tcp`,
        `ftp ${stackEnv.FTP_PASV_MAX_PORT}/tcp`,
        'ftp 21/tcp',
        'nginx 443/tcp',
      ].sort(),
    );
    for (const port of [6379, 8080]) {
      if (!portsOpenBefore.get(port))
        expect(await tcpOpen('127.0.0.1', port), `127.0.0.1:${port}`).toBe(false);
    }

    // redis: WordPress's object cache holds its options after a page load
    await frontPage();
    const redis = await containerId('redis');
    const keys = (await docker('exec', redis, 'redis-cli', '--scan', '--pattern', 'wp:*')).split('\n');
    expect(keys).toContain('wp:1:options:alloptions');

    // ftp: an upload lands in the WordPress volume, and nginx serves it
    const name = `ftp-e2e-${suffix}.txt`;
    const content = Buffer.from(`uploaded over FTP ${suffix}\n`);
    await ftpUpload(
      { host: '127.0.0.1', port: Number(stackEnv.FTP_PORT) },
      { user: dotenv.FTP_USER!, password: secrets.get('ftp_password')! },
      name,
      content,
    );
    expect(await readFile(join(dataDir, 'wordpress', name))).toEqual(content);
    const served = await httpsRequest(site, { path: `/${name}` });
    expect(served.status).toBe(200);
    expect(served.body).toBe(content.toString());

    // the static site: HTML from lighttpd, no PHP
    const staticSite = await httpsRequest(site, { path: '/site/' });
    expect(staticSite.status).toBe(200);
    expect(staticSite.headers['content-type']).toMatch(/^text\/html/);
    expect(staticSite.body).toContain('<h1>Inception</h1>');
    expect(staticSite.headers['x-powered-by']).toBeUndefined();

    // Adminer: its login form, and a login as WordPress's user that lists the WordPress database
    const form = await httpsRequest(site, { path: '/adminer/' });
    expect(form.status).toBe(200);
    expect(form.body).toContain('Adminer');
    const signIn = await httpsRequest(site, {
      method: 'POST',
      path: '/adminer/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        'auth[driver]': 'server',
        'auth[server]': 'MariaDB (mariadb)',
        'auth[username]': dotenv.MYSQL_USER!,
        'auth[password]': secrets.get('db_password')!,
        'auth[db]': '',
      }).toString(),
    });
    expect(signIn.status, signIn.body.slice(0, 500)).toBe(302);
    const cookies = ([] as string[])
      .concat(signIn.headers['set-cookie'] ?? [])
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    const next = new URL(String(signIn.headers.location), `https://${domain}/adminer/`);
    const databases = await httpsRequest(site, {
      path: next.pathname + next.search,
      headers: { Cookie: cookies },
    });
    expect(databases.status).toBe(200);
    expect(databases.body).toContain(`id='Db-${dotenv.MYSQL_DATABASE}'`);

    // backup: one run makes a dump with the site's content and an archive of its files
    const backup = await containerId('backup');
    const report = await docker('exec', backup, 'backup');
    const stamp = /\/backups\/(\S+)/.exec(report)?.[1];
    expect(stamp, report).toBeDefined();
    const dump = gunzipSync(await readFile(join(dataDir, 'backups', stamp!, 'database.sql.gz'))).toString();
    expect(dump).toContain(`Inception e2e ${suffix}`);
    expect((await stat(join(dataDir, 'backups', stamp!, 'wordpress.tar.gz'))).size).toBeGreaterThan(
      1_000_000,
    );

    // and each bonus service comes back by itself when its daemon is killed
    await killAndExpectRestart(BONUS);
    await expectPid1IsTheDaemon(BONUS);
  });
});

async function gitLsFiles(): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stdout } = await promisify(execFile)(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, maxBuffer: 64 << 20 },
  );
  return stdout.split('\0').filter(Boolean);
}

async function gitCheckIgnored(path: string): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  try {
    await promisify(execFile)('git', ['check-ignore', '-q', path], { cwd: root });
    return true;
  } catch {
    return false;
  }
}
