import { posix } from 'node:path';
import { Writable } from 'node:stream';
import { sleep } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Project } from '../compose/model.js';
import type { ContainerDetails, ContainerSummary, Engine } from '../engine/engine.js';
import type { Role } from './input.js';
import {
  toResults,
  type Finding,
  type RuleGroup,
  type RuleResult,
  type RuleSpec,
  type Severity,
  type SubjectVersion,
  type Verdict,
} from './types.js';

/**
 * The `--probe` rules: the running stack judged from the outside, through the engine and the
 * host's network, as an evaluator would (TLS handshakes, ports, PID 1, a crash, the database).
 */

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export type Handshake =
  /** `peerSubjectAltName`: the names of the server's certificate (`DNS:a, DNS:b`), when it has some. */
  { ok: true; protocol: string; peerSubjectAltName?: string } | { ok: false; code: string; message: string };

/** The host's side of the probes, injected (probe-io.ts has Node's). */
export interface ProbeIO {
  /** One TLS handshake that offers exactly `version` (and really offers it: TLS 1.0 included). */
  tlsHandshake(
    target: { host: string; port: number; servername?: string },
    version: TlsVersion,
  ): Promise<Handshake>;
  /** Whether something accepts TCP connections there. */
  tcpOpen(host: string, port: number): Promise<boolean>;
  /** Addresses the system resolver (/etc/hosts included) gives for a name; empty when none. */
  lookup(name: string): Promise<string[]>;
  /** This host's own addresses. */
  localAddresses(): string[];
  /** Entries in a host directory, or undefined when it cannot be read. */
  countEntries(path: string): Promise<number | undefined>;
}

export interface ProbeTarget {
  project: Project;
  /** Service name → its part of the mandatory stack (bonus services are absent). */
  roles: Record<string, Role>;
  login?: string;
  subject: SubjectVersion;
}

export interface ProbeDeps {
  engine: Engine;
  io: ProbeIO;
  signal?: AbortSignal;
  /** How long a killed container may take to come back, and how often to look. */
  restartTimeoutMs?: number;
  restartPollMs?: number;
  clock?: Clock;
}

const spec = (id: string, severity: Severity, group: RuleGroup, title: string): RuleSpec => ({
  id,
  severity,
  group,
  title,
  kind: 'probe',
});

export const probeSpecs = {
  running: spec('probe.running', 'error', 'services', 'the mandatory containers are running'),
  tlsModern: spec('probe.tls-modern', 'error', 'tls', 'port 443 accepts TLSv1.2 or TLSv1.3'),
  tlsLegacy: spec('probe.tls-legacy', 'error', 'tls', 'port 443 refuses TLSv1 and TLSv1.1'),
  port80: spec('probe.port-80', 'error', 'host', 'port 80 is closed'),
  exposure: spec(
    'probe.exposure',
    'error',
    'host',
    'nothing but nginx:443 is published by the mandatory stack',
  ),
  domain: spec('probe.domain', 'error', 'host', '<login>.42.fr resolves to this machine'),
  pid1: spec('probe.pid1', 'error', 'processes', 'PID 1 of each container is its daemon'),
  wpUsers: spec(
    'probe.wp-users',
    'error',
    'wordpress',
    'two WordPress users, the administrator not named admin',
  ),
  volumes: spec('probe.volumes', 'error', 'volumes', "the volumes' data is in /home/<login>/data"),
  restart: spec('probe.restart', 'error', 'processes', 'a container whose PID 1 is killed comes back'),
} as const;

const LABEL_PROJECT = 'com.docker.compose.project';
const LABEL_SERVICE = 'com.docker.compose.service';
const LABEL_ONEOFF = 'com.docker.compose.oneoff';

interface Running {
  service: string;
  role?: Role;
  summary: ContainerSummary;
  details: ContainerDetails;
}

export async function runProbes(target: ProbeTarget, deps: ProbeDeps): Promise<RuleResult[]> {
  const { engine } = deps;
  const all = await engine.listContainers({ label: [`${LABEL_PROJECT}=${target.project.name}`], all: true });
  const containers = all.filter((c) => c.labels[LABEL_ONEOFF] !== 'True');
  const running: Running[] = [];
  for (const summary of containers) {
    if (summary.state !== 'running') continue;
    const service = summary.labels[LABEL_SERVICE] ?? summary.name;
    const role = target.roles[service];
    running.push({
      service,
      ...(role ? { role } : {}),
      summary,
      details: await engine.inspectContainer(summary.id),
    });
  }
  const byRole = (role: Role) => running.find((r) => r.role === role);
  const results: RuleResult[] = [];
  const add = (s: RuleSpec, v: Verdict) => results.push(...toResults(s, v));
  const place = (r: Running) => ({ file: `container ${r.summary.name}` });

  const missing = (['nginx', 'wordpress', 'mariadb'] as const).filter((role) => !byRole(role));
  add(
    probeSpecs.running,
    verdict(
      missing.map((role) => {
        const service = Object.entries(target.roles).find(([, r]) => r === role)?.[0] ?? role;
        const stopped = containers.find((c) => c.labels[LABEL_SERVICE] === service);
        return {
          message: stopped
            ? `the ${role} container (${stopped.name}) is ${stopped.state}`
            : `no container of service "${service}" in project "${target.project.name}"`,
          fix: stopped
            ? 'start the stack (make up) and probe again'
            : `start the stack (make up), or name the project it runs under: tscompose -p NAME lint --inception --probe`,
        };
      }),
      `${running.length} containers running in project "${target.project.name}"`,
    ),
  );

  const nginx = byRole('nginx');
  const domain = target.login ? `${target.login}.42.fr` : undefined;
  const https = nginx?.summary.ports.find((p) => p.privatePort === 443 && p.type === 'tcp' && p.publicPort);
  const host = https?.ip && https.ip !== '0.0.0.0' && https.ip !== '::' ? https.ip : '127.0.0.1';
  if (!nginx || !https?.publicPort) {
    const why = { skip: nginx ? 'nginx publishes no port for 443' : 'no nginx container is running' };
    add(
      probeSpecs.tlsModern,
      nginx ? verdict([{ message: why.skip, fix: 'publish "443:443" on nginx' }], '') : why,
    );
    add(probeSpecs.tlsLegacy, why);
  } else {
    const at = { host, port: https.publicPort, ...(domain ? { servername: domain } : {}) };
    const hs: Partial<Record<TlsVersion, Handshake>> = {};
    for (const version of ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1'] as const)
      hs[version] = await deps.io.tlsHandshake(at, version);
    const where = { file: `${host}:${https.publicPort}` };
    const describe = (v: TlsVersion) => {
      const h = hs[v]!;
      return h.ok ? `${v} accepted` : `${v} refused (${h.code})`;
    };
    const modernOk = hs['TLSv1.3']!.ok || hs['TLSv1.2']!.ok;
    add(
      probeSpecs.tlsModern,
      verdict(
        modernOk
          ? []
          : [
              {
                message: `no modern handshake: ${describe('TLSv1.3')}, ${describe('TLSv1.2')}`,
                fix: 'ssl_protocols TLSv1.2 TLSv1.3; and a certificate in the server block',
                place: where,
              },
            ],
        `${describe('TLSv1.3')}, ${describe('TLSv1.2')}`,
      ),
    );
    const unreachable = (['TLSv1.1', 'TLSv1'] as const).filter((v) => {
      const h = hs[v]!;
      return !h.ok && (h.code === 'ECONNREFUSED' || h.code === 'ETIMEDOUT' || h.code === 'EHOSTUNREACH');
    });
    add(
      probeSpecs.tlsLegacy,
      unreachable.length
        ? {
            skip: `could not connect to ${host}:${https.publicPort} (${unreachable.map(describe).join(', ')})`,
          }
        : verdict(
            (['TLSv1.1', 'TLSv1'] as const)
              .filter((v) => hs[v]!.ok)
              .map((v) => ({
                message: `${v} is accepted`,
                fix: 'ssl_protocols TLSv1.2 TLSv1.3; (nothing older)',
                place: where,
              })),
            `${describe('TLSv1.1')}, ${describe('TLSv1')}`,
          ),
    );
  }

  // port 80, where the domain points (or this machine)
  const addresses = domain ? await deps.io.lookup(domain) : [];
  const port80Hosts = [...new Set([addresses[0] ?? '127.0.0.1'])];
  const open80 = [];
  for (const h of port80Hosts) if (await deps.io.tcpOpen(h, 80)) open80.push(h);
  add(
    probeSpecs.port80,
    verdict(
      open80.map((h) => ({
        message: `${h}:80 accepts connections`,
        fix: 'publish nothing on port 80 (no redirect server either)',
        place: { file: `${h}:80` },
      })),
      `${port80Hosts.join(', ')}:80 refused`,
    ),
  );

  const exposed: Finding[] = [];
  for (const r of running) {
    if (!r.role) continue;
    for (const p of r.summary.ports) {
      if (!p.publicPort) continue;
      // the one HTTPS port, published on IPv4 and IPv6 alike
      if (
        r.role === 'nginx' &&
        p.privatePort === 443 &&
        p.type === 'tcp' &&
        p.publicPort === https?.publicPort
      )
        continue;
      exposed.push({
        message: `${r.summary.name} publishes ${p.ip ? `${p.ip}:` : ''}${p.publicPort}->${p.privatePort}/${p.type}`,
        fix: r.role === 'nginx' ? 'publish only 443:443 on nginx' : `remove the ports of "${r.service}"`,
        place: place(r),
      });
    }
  }
  add(
    probeSpecs.exposure,
    nginx ? verdict(exposed, 'only nginx:443 is published') : { skip: 'no nginx container is running' },
  );

  if (!domain) add(probeSpecs.domain, { skip: 'login unknown: give --login' });
  else {
    const local = new Set(deps.io.localAddresses());
    const ok = addresses.some((a) => a.startsWith('127.') || a === '::1' || local.has(a));
    add(
      probeSpecs.domain,
      verdict(
        ok
          ? []
          : [
              {
                message: addresses.length
                  ? `${domain} resolves to ${addresses.join(', ')}, not to this machine`
                  : `${domain} does not resolve`,
                fix: `add "127.0.0.1 ${domain}" to /etc/hosts`,
                place: { file: '/etc/hosts' },
              },
            ],
        `${domain} → ${addresses.join(', ')}`,
      ),
    );
  }

  add(probeSpecs.pid1, await pid1Verdict(running, engine));
  add(probeSpecs.wpUsers, await wordpressUsers(byRole('mariadb'), engine, deps.signal));
  add(probeSpecs.volumes, await volumesVerdict(running, target, deps));
  // last: it crashes containers on purpose
  add(probeSpecs.restart, await restartVerdict(running, deps));
  return results;
}

const verdict = (findings: Finding[], checked: string): Verdict => ({ findings, checked });

const SHELLS = /^(sh|bash|dash|ash|zsh|ksh|busybox)$/;
const INITS = /^(docker-init|tini|tini-static|dumb-init|catatonit|s6-svscan)$/;
const DAEMONS: Record<Role, RegExp> = {
  nginx: /^nginx\b/,
  wordpress: /^php-fpm/,
  mariadb: /^(mariadbd|mysqld)$/,
};

/** The program of a `ps` command line: `nginx: master process ...` → nginx, `/usr/sbin/mariadbd --x` → mariadbd. */
export function programOf(cmd: string): string {
  const title = /^([\w.-]+): /.exec(cmd);
  if (title) return title[1]!;
  const first = cmd.trim().split(/\s+/)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

async function processTable(engine: Engine, id: string) {
  const top = await engine.topContainer(id);
  const col = (name: string) => top.titles.indexOf(name);
  const [pid, ppid, cmd] = [col('PID'), col('PPID'), col('CMD') >= 0 ? col('CMD') : col('COMMAND')];
  return top.processes.map((p) => ({ pid: Number(p[pid]), ppid: Number(p[ppid]), cmd: p[cmd] ?? '' }));
}

async function pid1Verdict(running: Running[], engine: Engine): Promise<Verdict> {
  if (running.length === 0) return { skip: 'no container is running' };
  const findings: Finding[] = [];
  const seen: string[] = [];
  for (const r of running) {
    const table = await processTable(engine, r.summary.id);
    const init = table.find((p) => p.pid === r.details.state.pid);
    if (!init) continue;
    let program = programOf(init.cmd);
    let via = '';
    if (INITS.test(program)) {
      const child = table.find((p) => p.ppid === init.pid);
      if (child) {
        via = `${program} → `;
        program = programOf(child.cmd);
      }
    }
    seen.push(`${r.service}: ${via}${program}`);
    const expected = r.role ? DAEMONS[r.role] : undefined;
    const bad =
      SHELLS.test(program) ||
      /^(tail|sleep|mysqld_safe)$/.test(program) ||
      (expected !== undefined && !expected.test(program));
    if (bad)
      findings.push({
        message: `PID 1 of ${r.summary.name} is "${init.cmd}"${via ? ` (via ${via.slice(0, -3)})` : ''}${expected ? `, not the ${r.role} daemon` : ', a shell or a keep-alive'}`,
        fix: 'end the entrypoint with exec <daemon in the foreground>, and write CMD/ENTRYPOINT as JSON arrays',
        place: { file: `container ${r.summary.name}` },
      });
  }
  return verdict(findings, seen.join(', '));
}

/** Runs `sh -c script` in a container; stdout and the exit code. */
async function execShell(
  engine: Engine,
  id: string,
  script: string,
  env: string[],
  signal?: AbortSignal,
): Promise<{ code: number; stdout: string }> {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const code = await engine.exec(id, {
    cmd: ['sh', '-c', script],
    env,
    user: 'root',
    tty: false,
    stdout,
    stderr,
    ...(signal ? { signal } : {}),
  });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs $SQL with the first credentials that work: root over the socket, then the passwords the
 * container itself was given (environment variables, *_FILE, /run/secrets). Nothing is printed but
 * the query's rows; a code of 3 means no client, 4 no working credentials.
 */
export const SQL_RUNNER = `c=$(command -v mariadb || command -v mysql) || exit 3
try() { MYSQL_PWD="$2" "$c" -u"$1" -N -B -e "$SQL" 2>/dev/null; }
pw() { head -n 1 "$1" 2>/dev/null | tr -d '\\r\\n'; }
try root '' && exit 0
for v in MYSQL_ROOT_PASSWORD MARIADB_ROOT_PASSWORD DB_ROOT_PASSWORD SQL_ROOT_PASSWORD; do
  eval p=\\"\\\${$v:-}\\"; [ -n "$p" ] && try root "$p" && exit 0
done
for f in \${MYSQL_ROOT_PASSWORD_FILE:-} \${MARIADB_ROOT_PASSWORD_FILE:-} /run/secrets/*root*; do
  [ -f "$f" ] && try root "$(pw "$f")" && exit 0
done
u=\${MYSQL_USER:-\${MARIADB_USER:-\${DB_USER:-\${SQL_USER:-\${WORDPRESS_DB_USER:-}}}}}
[ -n "$u" ] || exit 4
for v in MYSQL_PASSWORD MARIADB_PASSWORD DB_PASSWORD SQL_PASSWORD WORDPRESS_DB_PASSWORD; do
  eval p=\\"\\\${$v:-}\\"; [ -n "$p" ] && try "$u" "$p" && exit 0
done
for f in \${MYSQL_PASSWORD_FILE:-} \${MARIADB_PASSWORD_FILE:-} /run/secrets/*; do
  [ -f "$f" ] && try "$u" "$(pw "$f")" && exit 0
done
exit 4`;

const rows = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));

async function wordpressUsers(
  mariadb: Running | undefined,
  engine: Engine,
  signal?: AbortSignal,
): Promise<Verdict> {
  if (!mariadb) return { skip: 'no mariadb container is running' };
  const where = { file: `container ${mariadb.summary.name}` };
  const sql = async (query: string) =>
    execShell(engine, mariadb.summary.id, SQL_RUNNER, [`SQL=${query}`], signal);
  const tables = await sql(
    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_name LIKE '%\\_usermeta' ORDER BY table_schema",
  );
  if (tables.code === 3) return { skip: 'no mariadb or mysql client in the mariadb container' };
  if (tables.code !== 0)
    return {
      skip: 'could not log in to MariaDB (neither root over the socket nor the passwords the container was given)',
    };
  const found = rows(tables.stdout).map(([schema, table]) => ({
    schema: schema!,
    prefix: table!.slice(0, -'usermeta'.length),
  }));
  const wp = found[0];
  if (!wp)
    return verdict(
      [
        {
          message: 'no WordPress tables in the database: WordPress is not installed',
          fix: 'install WordPress at start-up (wp core install) with its two users',
          place: where,
        },
      ],
      '',
    );
  const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;
  const users = await sql(
    `SELECT u.user_login, IFNULL(m.meta_value, '') FROM ${q(wp.schema)}.${q(`${wp.prefix}users`)} u LEFT JOIN ${q(wp.schema)}.${q(`${wp.prefix}usermeta`)} m ON m.user_id = u.ID AND m.meta_key = '${wp.prefix}capabilities' ORDER BY u.ID`,
  );
  if (users.code !== 0) return { skip: `could not read ${wp.schema}.${wp.prefix}users` };
  const list = rows(users.stdout).map(([login, caps]) => ({
    login: login!,
    admin: /"administrator"/.test(caps ?? ''),
  }));
  const findings: Finding[] = [];
  if (list.length < 2)
    findings.push({
      message: `the WordPress database has ${list.length} user(s): the subject asks for two`,
      fix: 'create a second, non-administrator user (wp user create)',
      place: where,
    });
  const admins = list.filter((u) => u.admin);
  if (admins.length === 0)
    findings.push({
      message: 'no WordPress user is an administrator',
      fix: 'make one of the two users the administrator',
      place: where,
    });
  for (const a of admins)
    if (/admin/i.test(a.login))
      findings.push({
        message: `the administrator's login "${a.login}" contains "admin"`,
        fix: 'pick an administrator login without admin/Admin/administrator in it',
        place: where,
      });
  return verdict(
    findings,
    `${list.length} users in ${wp.schema}, administrator: ${admins.map((a) => a.login).join(', ') || 'none'}`,
  );
}

const PERSISTENT_SKIP = /^\/(run|var\/run|etc|dev|proc|sys)(\/|$)/;

async function volumesVerdict(running: Running[], target: ProbeTarget, deps: ProbeDeps): Promise<Verdict> {
  const holders = running.filter((r) => r.role === 'mariadb' || r.role === 'wordpress');
  if (holders.length === 0) return { skip: 'neither the mariadb nor the wordpress container is running' };
  const root = target.login ? `/home/${target.login}/data/` : undefined;
  const findings: Finding[] = [];
  const seen: string[] = [];
  for (const r of holders) {
    const mounts = r.details.mounts.filter(
      (m) => (m.type === 'volume' || m.type === 'bind') && !PERSISTENT_SKIP.test(m.destination),
    );
    if (mounts.length === 0) {
      findings.push({
        message: `${r.summary.name} has no volume: its data dies with it`,
        fix: 'mount the volume of the compose file',
        place: { file: `container ${r.summary.name}` },
      });
      continue;
    }
    for (const m of mounts) {
      let hostPath = m.source;
      if (m.type === 'volume' && m.name) {
        const volume = await deps.engine.inspectVolume(m.name);
        hostPath = volume?.options.device ?? volume?.mountpoint ?? m.source;
      }
      if (m.type === 'bind' && !m.source.startsWith('/home/')) continue; // a configuration file of the repository
      seen.push(`${m.destination} ← ${hostPath}`);
      const inData = root
        ? posix.normalize(hostPath).startsWith(root)
        : /^\/home\/[^/]+\/data\//.test(posix.normalize(hostPath));
      if (!inData) {
        findings.push({
          message: `${r.summary.name}:${m.destination} keeps its data in ${hostPath}, not in ${root ?? '/home/<login>/data/'}`,
          fix: `driver_opts: {type: none, o: bind, device: ${root ?? '/home/<login>/data/'}${r.role}}`,
          place: { file: `container ${r.summary.name}` },
        });
        continue;
      }
      const entries = await deps.io.countEntries(hostPath);
      if (entries === 0)
        findings.push({
          message: `${hostPath} (${r.summary.name}:${m.destination}) is empty`,
          fix: 'check that the service writes its data to the mounted directory',
          place: { file: hostPath },
        });
    }
  }
  return verdict(findings, seen.join(', '));
}

async function restartVerdict(running: Running[], deps: ProbeDeps): Promise<Verdict> {
  const targets = running.filter((r) => r.role);
  if (targets.length === 0) return { skip: 'no mandatory container is running' };
  const findings: Finding[] = [];
  const timeout = deps.restartTimeoutMs ?? 60_000;
  const clock = deps.clock ?? systemClock;
  for (const r of targets) {
    const before = await deps.engine.inspectContainer(r.summary.id);
    if (!before.state.running) continue;
    const killed = await killFromHost(deps.engine, before, deps.signal);
    if (!killed.ok) {
      findings.push({
        message: `could not kill PID 1 of ${r.summary.name}: ${killed.why}`,
        fix: 'kill it by hand (sudo kill -9 <pid>) and watch docker ps',
        place: { file: `container ${r.summary.name}` },
      });
      continue;
    }
    const deadline = clock.now() + timeout;
    let after = before;
    while (clock.now() < deadline) {
      await sleep(deps.restartPollMs ?? 250, deps.signal);
      after = await deps.engine.inspectContainer(r.summary.id);
      if (
        after.state.running &&
        after.state.pid !== before.state.pid &&
        after.restartCount > before.restartCount
      )
        break;
    }
    const back = after.state.running && after.state.pid !== before.state.pid;
    if (!back)
      findings.push({
        message: `${r.summary.name} did not come back within ${timeout / 1000} s after its PID 1 was killed (state ${after.state.status}, restart policy not applied)`,
        fix: 'restart: unless-stopped (or always) on the service',
        place: { file: `container ${r.summary.name}` },
      });
  }
  return verdict(findings, `killed PID 1 of ${targets.map((t) => t.service).join(', ')}: all came back`);
}

/**
 * SIGKILL to a container's PID 1 as a crash would send it. `docker kill` would not do: the engine
 * takes it for a manual stop and the restart policy ignores it. Inside the container PID 1 ignores
 * SIGKILL. So a short-lived container of the same image, in the host's PID namespace, sends it.
 */
async function killFromHost(
  engine: Engine,
  target: ContainerDetails,
  signal?: AbortSignal,
): Promise<{ ok: true } | { ok: false; why: string }> {
  const name = `${target.name.replace(/^\//, '')}-lint-kill-${Math.random().toString(16).slice(2, 8)}`;
  let id: string | undefined;
  try {
    id = await engine.createContainer({
      name,
      Image: target.imageId || target.image,
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: [`kill -KILL ${target.state.pid}`],
      User: '0',
      Labels: { 'tscompose.lint': 'kill' },
      HostConfig: { PidMode: 'host', NetworkMode: 'none', AutoRemove: false },
    });
    await engine.startContainer(id);
    const code = await engine.waitContainer(id, signal ? { signal } : undefined);
    return code === 0 ? { ok: true } : { ok: false, why: `kill exited with ${code}` };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  } finally {
    if (id) await engine.removeContainer(id, { force: true }).catch(() => undefined);
  }
}
