import { posix } from 'node:path';
import { formatDuration, tryParseDuration } from '../core/duration.js';
import { PathIssue } from './issue.js';
import { Tagged } from './parse-yaml.js';
import { isPlainMap, put, type Path, type PlainMap } from './path.js';
import { splitShellWords } from './shellwords.js';
import { parseBytes } from './units.js';

/**
 * Phase 4: short syntax → long syntax, on one file's validated tree, before files are merged (so
 * that merging compares like with like: ports with ports, volumes by target). Works on plain data;
 * `!reset` / `!override` markers are kept around the converted value.
 */

export interface CanonicalContext {
  /** Compose's quiet fix-ups that users should know about (e.g. a command cut at `&&`). */
  warn(message: string): void;
  /** Not interpolated (`config --no-interpolate`): a value holding `${…}` that cannot be converted stays as written. */
  templates?: boolean;
}

type Converter = (value: unknown, path: Path, ctx: CanonicalContext) => unknown;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);

function mapValues(value: unknown, fn: (v: unknown, path: Path) => unknown, path: Path): PlainMap {
  const out: PlainMap = {};
  if (!isPlainMap(value)) return out;
  for (const [k, v] of Object.entries(value)) put(out, k, fn(v, [...path, k]));
  return out;
}

/** `KEY=VALUE` list or map → map; a list entry without `=` gets `bare` (null: from the environment). */
export function keyValueMap(value: unknown, bare: string | null, nullValue: string | null): PlainMap {
  const out: PlainMap = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = str(entry);
      const eq = text.indexOf('=');
      if (eq < 0) put(out, text, bare);
      else put(out, text.slice(0, eq), text.slice(eq + 1));
    }
  } else if (isPlainMap(value)) {
    for (const [k, v] of Object.entries(value))
      put(out, k, v === null || v === undefined ? nullValue : scalarText(v));
  }
  return out;
}

/** How Compose prints a scalar it stores as a string: `1.5`, `true`. */
function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

const stringList: Converter = (v) => list(v).map(str);

const shellCommand: Converter = (v, path, ctx) => {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(str);
  const { words, dropped, unterminated } = splitShellWords(str(v));
  if (unterminated)
    throw new PathIssue(
      'invalid command line: a quote is not closed',
      'compose.invalid-value',
      path,
      'close the quote, or write the command as a list',
    );
  if (dropped !== undefined)
    ctx.warn(
      `${path.join('.')}: "${dropped}" is ignored, as Docker Compose does (a string command is not run by a shell; write ["sh", "-c", "..."] to use operators)`,
    );
  return words;
};

const duration: Converter = (v, path) => {
  if (v === null || v === undefined) return v;
  const ms = typeof v === 'number' ? v * 1000 : tryParseDuration(str(v));
  if (ms === undefined)
    throw new PathIssue(
      `invalid duration "${str(v)}"`,
      'compose.invalid-value',
      path,
      'write a Go duration such as 30s, 1m30s or 500ms',
    );
  return formatDuration(ms);
};

const bytes: Converter = (v, path) => {
  if (v === null || v === undefined) return v;
  const n = parseBytes(typeof v === 'number' ? v : str(v));
  if (n === undefined)
    throw new PathIssue(
      `invalid size "${str(v)}"`,
      'compose.invalid-value',
      path,
      'write a size such as 512m, 1g or 1048576',
    );
  return n;
};

const float: Converter = (v, path) => {
  if (v === null || v === undefined) return v;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new PathIssue(`"${str(v)}" is not a number`, 'compose.invalid-type', path);
  return n;
};

const stringMap: Converter = (v) => keyValueMap(v, '', '');
const envMap: Converter = (v) => keyValueMap(v, null, null);

/**
 * `host:ip` / `host=ip` lines as written (a map becomes `host=ip` lines): files merge them as a
 * union of lines, and normalize.ts turns them into host → IPs at the end, as Compose does.
 */
const extraHosts: Converter = (v) => {
  if (Array.isArray(v)) return v.map(str);
  const out: string[] = [];
  if (isPlainMap(v))
    for (const [host, ips] of Object.entries(v)) for (const ip of list(ips)) out.push(`${host}=${str(ip)}`);
  return out;
};

/** `host=ip` or `host:ip` lines → host → IPs (brackets around an IPv6 address dropped). */
export function hostsMap(lines: readonly unknown[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of lines) {
    const text = str(entry);
    let sep = text.indexOf('=');
    if (sep < 0) sep = text.indexOf(':');
    const host = sep < 0 ? text : text.slice(0, sep);
    const ip = sep < 0 ? '' : text.slice(sep + 1).replace(/^\[(.*)\]$/, '$1');
    if (!Object.hasOwn(out, host)) put(out, host, []);
    out[host]!.push(ip);
  }
  return out;
}

const ulimits: Converter = (v) =>
  mapValues(
    v,
    (limit) => {
      if (isPlainMap(limit)) {
        const out: PlainMap = {};
        if (limit.soft !== undefined) out.soft = Number(limit.soft);
        if (limit.hard !== undefined) out.hard = Number(limit.hard);
        return out;
      }
      return Number(limit);
    },
    [],
  );

const dependsOn: Converter = (v) => {
  const out: PlainMap = {};
  if (Array.isArray(v)) {
    for (const name of v) put(out, str(name), { condition: 'service_started', required: true });
  } else if (isPlainMap(v)) {
    for (const [name, dep] of Object.entries(v)) {
      const d = isPlainMap(dep) ? dep : {};
      const entry: PlainMap = { condition: d.condition ?? 'service_started' };
      if (d.restart !== undefined) entry.restart = d.restart;
      entry.required = d.required ?? true;
      put(out, name, entry);
    }
  }
  return out;
};

const serviceNetworks: Converter = (v) => {
  const out: PlainMap = {};
  if (Array.isArray(v)) for (const name of v) put(out, str(name), null);
  else if (isPlainMap(v))
    for (const [name, cfg] of Object.entries(v)) {
      if (!isPlainMap(cfg)) {
        put(out, name, null);
        continue;
      }
      const c: PlainMap = { ...cfg };
      if (c.aliases !== undefined) c.aliases = stringList(c.aliases, [], noWarn);
      if (c.link_local_ips !== undefined) c.link_local_ips = stringList(c.link_local_ips, [], noWarn);
      if (c.driver_opts !== undefined) c.driver_opts = stringMap(c.driver_opts, [], noWarn);
      put(out, name, c);
    }
  return out;
};
const noWarn: CanonicalContext = { warn: () => undefined };

function fileReferences(defaultTarget: ((source: string) => string) | undefined): Converter {
  return (v) =>
    list(v).map((entry) => {
      const ref: PlainMap = isPlainMap(entry) ? { ...entry } : { source: str(entry) };
      if (ref.target === undefined && defaultTarget) ref.target = defaultTarget(str(ref.source));
      for (const k of ['uid', 'gid'] as const) if (ref[k] !== undefined) ref[k] = str(ref[k]);
      return ref;
    });
}

const healthcheck: Converter = (v, path, ctx) => {
  if (!isPlainMap(v)) return v;
  const out: PlainMap = { ...v };
  if (typeof out.test === 'string') out.test = ['CMD-SHELL', out.test];
  else if (Array.isArray(out.test)) out.test = out.test.map(str);
  for (const k of ['interval', 'timeout', 'start_period', 'start_interval'])
    if (out[k] !== undefined) out[k] = duration(out[k], [...path, k], ctx);
  return out;
};

const build: Converter = (v, path, ctx) => {
  const b: PlainMap = typeof v === 'string' ? { context: v } : isPlainMap(v) ? { ...v } : {};
  if (b.args !== undefined) b.args = envMap(b.args, [...path, 'args'], ctx);
  if (b.labels !== undefined) b.labels = stringMap(b.labels, [...path, 'labels'], ctx);
  if (b.additional_contexts !== undefined) b.additional_contexts = stringMap(b.additional_contexts, [], ctx);
  if (b.extra_hosts !== undefined) b.extra_hosts = extraHosts(b.extra_hosts, [], ctx);
  if (b.secrets !== undefined) b.secrets = fileReferences(undefined)(b.secrets, [], ctx);
  if (b.ulimits !== undefined) b.ulimits = ulimits(b.ulimits, [], ctx);
  if (b.shm_size !== undefined) b.shm_size = bytes(b.shm_size, [...path, 'shm_size'], ctx);
  for (const k of ['cache_from', 'cache_to', 'tags', 'platforms', 'ssh'])
    if (b[k] !== undefined)
      b[k] =
        k === 'ssh' && isPlainMap(b[k])
          ? Object.entries(b[k]).map(([id, p]) => `${id}=${str(p)}`)
          : stringList(b[k], [], ctx);
  return b;
};

/**
 * Compose makes ports unique by the text the user wrote (`"8080:80"`), before expanding ranges; each
 * canonical entry carries that key so merging can do the same (see merge.ts).
 */
export const PORT_KEY = Symbol('port key');

function withPortKey(port: PlainMap, key: string): PlainMap {
  Object.defineProperty(port, PORT_KEY, { value: key, enumerable: false });
  return port;
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An IPv4 or IPv6 address (node:net's isIP, without loading the network stack at start-up). */
export function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  // an embedded IPv4 address takes the place of the last two groups
  let head = text;
  let groups = 8;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    if (!IPV4.test(text.slice(lastColon + 1))) return false;
    head = text.slice(0, lastColon + 1) + '0';
    groups = 7;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const count = (part: string) => (part === '' ? 0 : part.split(':').length);
  const valid = (part: string) => part === '' || part.split(':').every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
  if (!halves.every(valid)) return false;
  const total = halves.reduce((n, part) => n + count(part), 0);
  return halves.length === 2 ? total < groups : total === groups;
}

/** `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`, ranges expanded, as docker/go-connections reads it. */
export function parsePortSpec(spec: string, path: Path): PlainMap[] {
  const parts = spec.split(':');
  const n = parts.length;
  let targetText = parts[n - 1]!;
  let published: string | undefined = n >= 2 ? parts[n - 2] : undefined;
  let hostIp: string | undefined = n >= 3 ? parts.slice(0, n - 2).join(':') : undefined;
  let protocol = 'tcp';
  const slash = targetText.indexOf('/');
  if (slash >= 0) {
    const proto = targetText.slice(slash + 1).split('/')[0]!;
    if (proto !== '') protocol = proto;
    targetText = targetText.slice(0, slash);
  }
  if (hostIp !== undefined && hostIp !== '') {
    // an IPv6 address needs brackets: [::1]:8080:80
    const bracketed = /^\[([^\]]*)\]$/.exec(hostIp);
    if (bracketed) hostIp = bracketed[1]!;
    else if (hostIp.includes(':'))
      throw new PathIssue(
        `invalid port "${spec}": "${hostIp}" has too many colons for an address`,
        'compose.invalid-value',
        path,
        'write an IPv6 address in brackets: "[::1]:8080:80"',
      );
    if (!isIpAddress(hostIp))
      throw new PathIssue(
        `invalid port "${spec}": "${hostIp}" is not an IP address`,
        'compose.invalid-value',
        path,
      );
  }
  if (published === '') published = undefined;
  const range = (text: string): [number, number] | undefined => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(text);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi > 65535) return undefined;
    return [lo, hi];
  };
  const t = range(targetText);
  if (!t || t[0] === 0) throw badPort(spec, path);
  const p = published === undefined ? undefined : range(published);
  if (published !== undefined && !p) throw badPort(spec, path);
  const base = (targetPort: number, pub: string | undefined, index: number): PlainMap => {
    const port: PlainMap = { mode: 'ingress' };
    if (hostIp) port.host_ip = hostIp;
    port.target = targetPort;
    if (pub !== undefined) port.published = pub;
    port.protocol = protocol;
    return withPortKey(port, `${spec}#${index}`);
  };
  const count = t[1] - t[0] + 1;
  if (count === 1) {
    return [base(t[0], p ? (p[0] === p[1] ? String(p[0]) : `${p[0]}-${p[1]}`) : undefined, 0)];
  }
  if (p && p[1] - p[0] + 1 !== count && p[0] !== p[1])
    throw new PathIssue(
      `invalid port range "${spec}": the published and target ranges differ in size`,
      'compose.invalid-value',
      path,
    );
  const out: PlainMap[] = [];
  for (let i = 0; i < count; i++)
    out.push(base(t[0] + i, p ? String(p[0] === p[1] ? p[0] : p[0] + i) : undefined, i));
  return out;
}

const badPort = (spec: string, path: Path) =>
  new PathIssue(
    `invalid port "${spec}"`,
    'compose.invalid-value',
    path,
    'write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "8080:80"',
  );

const ports: Converter = (v, path) => {
  const out: PlainMap[] = [];
  list(v).forEach((entry, i) => {
    if (isPlainMap(entry)) {
      const port: PlainMap = { ...entry };
      port.mode = port.mode ?? 'ingress';
      if (port.target !== undefined) port.target = Number(port.target);
      if (port.published !== undefined && port.published !== null) port.published = str(port.published);
      port.protocol = port.protocol ?? 'tcp';
      // compose-go's key for a long-syntax port: host:published:target/protocol
      const key = `${str(entry.host_ip ?? '0.0.0.0')}:${str(entry.published ?? '')}:${str(port.target)}/${str(port.protocol)}`;
      out.push(withPortKey(port, key));
    } else if (typeof entry === 'number') out.push(...parsePortSpec(String(entry), [...path, i]));
    else out.push(...parsePortSpec(str(entry), [...path, i]));
  });
  return out;
};

const BIND_PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

/**
 * `[SOURCE:]TARGET[:OPTIONS]` as compose-go's ParseVolume reads it, quirks included: a single letter
 * before a colon is a Windows drive (`c:\\data`), so `a:b:c:d` is the bind `a:b` on `c:d`.
 */
export function parseVolumeSpec(spec: string, path: Path): PlainMap {
  if (spec === '') throw new PathIssue('invalid empty volume spec', 'compose.invalid-value', path);
  let source: string | undefined;
  let target: string | undefined;
  let options: string | undefined;
  if (spec.length <= 2) target = spec;
  else {
    let buf = '';
    const take = (end: boolean) => {
      if (buf === '')
        throw new PathIssue(
          `invalid volume "${spec}": empty section between colons`,
          'compose.invalid-value',
          path,
        );
      if (source === undefined && end) target = buf;
      else if (source === undefined) source = buf;
      else if (target === undefined) target = buf;
      else if (!end)
        throw new PathIssue(`invalid volume "${spec}": too many colons`, 'compose.invalid-value', path);
      else options = buf;
      buf = '';
    };
    for (const c of spec) {
      if (c === ':' && buf.length === 1 && /\p{L}/u.test(buf)) buf += c;
      else if (c === ':') take(false);
      else buf += c;
    }
    take(true);
  }
  const volume: PlainMap = {};
  const isPath =
    source !== undefined && (/^[./~]/.test(source) || source.startsWith('\\\\') || /^\p{L}:/u.test(source));
  volume.type = isPath ? 'bind' : 'volume';
  if (source !== undefined) volume.source = source;
  volume.target = cleanTarget(target ?? '');
  const bind: PlainMap = {};
  const vol: PlainMap = {};
  for (const option of options?.split(',') ?? []) {
    if (option === 'ro') volume.read_only = true;
    else if (option === 'rw') volume.read_only = false;
    else if (option === 'nocopy') vol.nocopy = true;
    else if (option === 'z' || option === 'Z') bind.selinux = option;
    else if (BIND_PROPAGATIONS.has(option)) bind.propagation = option;
  }
  if (volume.read_only === false) delete volume.read_only;
  if (isPath) {
    bind.create_host_path = true;
    volume.bind = bind;
  } else volume.volume = vol;
  return volume;
}

/** Container paths as Go's path.Clean writes them: `/var/www/html/` → `/var/www/html`. */
function cleanTarget(target: string): string {
  if (!target.startsWith('/')) return target;
  const clean = posix.normalize(target);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

const volumes: Converter = (v, path) =>
  list(v).map((entry, i) => {
    if (!isPlainMap(entry)) return parseVolumeSpec(str(entry), [...path, i]);
    const volume: PlainMap = { ...entry };
    if (typeof volume.target === 'string') volume.target = cleanTarget(volume.target);
    if (isPlainMap(volume.tmpfs) && volume.tmpfs.size !== undefined) {
      const size = parseBytes(volume.tmpfs.size as string | number);
      volume.tmpfs = { ...volume.tmpfs, size: size ?? volume.tmpfs.size };
    }
    return volume;
  });

const devices: Converter = (v) =>
  list(v).map((entry) => {
    if (isPlainMap(entry)) return { permissions: 'rwm', ...entry };
    const parts = str(entry).split(':');
    const source = parts[0]!;
    let target = source;
    let permissions = 'rwm';
    if (parts.length >= 2) target = parts[1]!;
    if (parts.length >= 3) permissions = parts[2]!;
    return { source, target, permissions };
  });

const envFiles: Converter = (v) =>
  list(v).map((entry) => {
    if (isPlainMap(entry)) {
      const out: PlainMap = { path: str(entry.path), required: entry.required ?? true };
      if (entry.format !== undefined) out.format = entry.format;
      return out;
    }
    return { path: str(entry), required: true };
  });

const deploy: Converter = (v, path, ctx) => {
  if (!isPlainMap(v)) return v;
  const d: PlainMap = { ...v };
  if (d.labels !== undefined) d.labels = stringMap(d.labels, [], ctx);
  if (isPlainMap(d.resources)) {
    const r: PlainMap = { ...d.resources };
    for (const k of ['limits', 'reservations']) {
      const spec = r[k];
      if (!isPlainMap(spec)) continue;
      const s: PlainMap = { ...spec };
      if (s.cpus !== undefined) s.cpus = float(s.cpus, [...path, 'resources', k, 'cpus'], ctx);
      if (s.memory !== undefined) s.memory = bytes(s.memory, [...path, 'resources', k, 'memory'], ctx);
      r[k] = s;
    }
    d.resources = r;
  }
  for (const k of ['update_config', 'rollback_config']) {
    const c = d[k];
    if (!isPlainMap(c)) continue;
    const u: PlainMap = { ...c };
    for (const t of ['delay', 'monitor']) if (u[t] !== undefined) u[t] = duration(u[t], [...path, k, t], ctx);
    d[k] = u;
  }
  if (isPlainMap(d.restart_policy)) {
    const p: PlainMap = { ...d.restart_policy };
    for (const t of ['delay', 'window'])
      if (p[t] !== undefined) p[t] = duration(p[t], [...path, 'restart_policy', t], ctx);
    d.restart_policy = p;
  }
  return d;
};

const logging: Converter = (v) => {
  if (!isPlainMap(v)) return v;
  const l: PlainMap = { ...v };
  if (l.options !== undefined) l.options = stringMap(l.options, [], noWarn);
  return l;
};

const develop: Converter = (v, path, ctx) => {
  if (!isPlainMap(v)) return v;
  const d: PlainMap = { ...v };
  if (Array.isArray(d.watch))
    d.watch = d.watch.map((rule) => {
      if (!isPlainMap(rule)) return rule;
      const r: PlainMap = { ...rule };
      for (const k of ['ignore', 'include']) if (r[k] !== undefined) r[k] = stringList(r[k], [], ctx);
      if (isPlainMap(r.exec)) r.exec = hook(r.exec, path, ctx);
      return r;
    });
  return d;
};

const hook: Converter = (v, path, ctx) => {
  if (!isPlainMap(v)) return v;
  const h: PlainMap = { ...v };
  if (h.command !== undefined) h.command = shellCommand(h.command, [...path, 'command'], ctx);
  if (h.environment !== undefined) h.environment = envMap(h.environment, [], ctx);
  return h;
};

const hooks: Converter = (v, path, ctx) => list(v).map((h, i) => hook(h, [...path, i], ctx));

const SERVICE: Record<string, Converter> = {
  annotations: stringMap,
  build,
  cap_add: stringList,
  cap_drop: stringList,
  command: shellCommand,
  configs: fileReferences(undefined),
  cpus: float,
  depends_on: dependsOn,
  deploy,
  develop,
  devices,
  dns: stringList,
  dns_opt: stringList,
  dns_search: stringList,
  entrypoint: shellCommand,
  env_file: envFiles,
  environment: envMap,
  expose: stringList,
  external_links: stringList,
  extra_hosts: extraHosts,
  group_add: stringList,
  healthcheck,
  labels: stringMap,
  label_file: stringList,
  links: stringList,
  logging,
  mem_limit: bytes,
  mem_reservation: bytes,
  memswap_limit: bytes,
  networks: serviceNetworks,
  pids_limit: float,
  ports,
  post_start: hooks,
  pre_stop: hooks,
  profiles: stringList,
  secrets: fileReferences((source) => `/run/secrets/${source}`),
  security_opt: stringList,
  shm_size: bytes,
  stop_grace_period: duration,
  storage_opt: stringMap,
  sysctls: stringMap,
  tmpfs: stringList,
  ulimits,
  volumes,
  volumes_from: stringList,
};

/** The long syntax of one service (its `extends` is left for the extends phase). */
export function canonicalService(service: unknown, path: Path, ctx: CanonicalContext): unknown {
  if (service instanceof Tagged) return new Tagged(service.tag, canonicalService(service.value, path, ctx));
  if (!isPlainMap(service)) return service;
  const out: PlainMap = {};
  for (const [key, value] of Object.entries(service)) {
    const convert = SERVICE[key];
    if (!convert || value === null) {
      put(out, key, value);
      continue;
    }
    const inner = value instanceof Tagged ? value.value : value;
    let converted: unknown;
    try {
      converted = convert(inner, [...path, key], ctx);
    } catch (error) {
      if (!(ctx.templates && error instanceof PathIssue && JSON.stringify(inner).includes('$'))) throw error;
      converted = inner;
    }
    put(out, key, value instanceof Tagged ? new Tagged(value.tag, converted) : converted);
  }
  return out;
}

const RESOURCE: Record<string, Converter> = {
  labels: stringMap,
  driver_opts: stringMap,
};

/** Long syntax of a top-level network, volume, secret or config (null means all defaults). */
export function canonicalResource(kind: string, resource: unknown): unknown {
  if (resource instanceof Tagged) return new Tagged(resource.tag, canonicalResource(kind, resource.value));
  if (resource === null || resource === undefined) return {};
  if (!isPlainMap(resource)) return resource;
  const out: PlainMap = {};
  for (const [key, value] of Object.entries(resource)) {
    const convert = RESOURCE[key];
    put(out, key, convert && value !== null ? convert(value, [], noWarn) : value);
  }
  // the legacy `external: {name: x}` means `external: true, name: x`
  if (isPlainMap(out.external)) {
    if (out.external.name !== undefined && out.name === undefined) out.name = out.external.name;
    out.external = true;
  }
  // Compose v2.26 accepts ipam `options` but drops them from the model
  if (kind === 'networks' && isPlainMap(out.ipam) && out.ipam.options !== undefined) {
    const { options: _options, ...ipam } = out.ipam;
    out.ipam = ipam;
  }
  if (kind === 'networks' && isPlainMap(out.ipam) && Array.isArray(out.ipam.config)) {
    out.ipam = {
      ...out.ipam,
      config: out.ipam.config.map((c) =>
        isPlainMap(c) && c.aux_addresses !== undefined
          ? { ...c, aux_addresses: stringMap(c.aux_addresses, [], noWarn) }
          : c,
      ),
    };
  }
  return out;
}

export { duration as canonicalDuration };
