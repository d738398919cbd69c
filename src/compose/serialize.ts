import type { Project, ServiceConfig } from './model.js';
import { isPlainMap, put, type PlainMap } from './path.js';
import { emitYaml } from './yaml-emit.js';

/**
 * The Project as Docker Compose prints it with `config`: the same keys in the same order, byte sizes
 * as decimal strings, `extra_hosts` as sorted `host=ip` lines, no loader bookkeeping (service
 * `name`, disabled services). With `escapeDollars` every `$` is doubled, as Compose does after
 * interpolation, so the output can be loaded again unchanged.
 */

const SERVICE_ORDER = [
  'profiles',
  'annotations',
  'attach',
  'build',
  'develop',
  'blkio_config',
  'cap_add',
  'cap_drop',
  'cgroup_parent',
  'cgroup',
  'cpu_count',
  'cpu_percent',
  'cpu_period',
  'cpu_quota',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpus',
  'cpuset',
  'cpu_shares',
  'command',
  'configs',
  'container_name',
  'credential_spec',
  'depends_on',
  'deploy',
  'device_cgroup_rules',
  'devices',
  'dns',
  'dns_opt',
  'dns_search',
  'domainname',
  'entrypoint',
  'environment',
  'env_file',
  'expose',
  'extends',
  'external_links',
  'extra_hosts',
  'group_add',
  'gpus',
  'hostname',
  'healthcheck',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'label_file',
  'links',
  'logging',
  'mem_limit',
  'mem_reservation',
  'memswap_limit',
  'mem_swappiness',
  'mac_address',
  'network_mode',
  'networks',
  'oom_kill_disable',
  'oom_score_adj',
  'pid',
  'pids_limit',
  'platform',
  'ports',
  'post_start',
  'pre_stop',
  'privileged',
  'pull_policy',
  'read_only',
  'restart',
  'runtime',
  'scale',
  'secrets',
  'security_opt',
  'shm_size',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'storage_opt',
  'sysctls',
  'tmpfs',
  'tty',
  'ulimits',
  'user',
  'userns_mode',
  'uts',
  'volumes',
  'volumes_from',
  'working_dir',
];
const BUILD_ORDER = [
  'context',
  'dockerfile',
  'dockerfile_inline',
  'entitlements',
  'args',
  'ssh',
  'labels',
  'cache_from',
  'cache_to',
  'no_cache',
  'additional_contexts',
  'network',
  'pull',
  'target',
  'shm_size',
  'extra_hosts',
  'isolation',
  'privileged',
  'secrets',
  'tags',
  'ulimits',
  'platforms',
];
const PORT_ORDER = ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'];
const VOLUME_ORDER = [
  'type',
  'source',
  'target',
  'read_only',
  'consistency',
  'bind',
  'volume',
  'tmpfs',
  'image',
];
const HEALTH_ORDER = ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'];
const DEPENDS_ORDER = ['condition', 'restart', 'required'];
const RESOURCE_ORDER = [
  'name',
  'driver',
  'driver_opts',
  'ipam',
  'external',
  'internal',
  'attachable',
  'enable_ipv4',
  'enable_ipv6',
  'labels',
  'file',
  'environment',
  'content',
  'template_driver',
];
const DEPLOY_ORDER = [
  'mode',
  'replicas',
  'labels',
  'update_config',
  'rollback_config',
  'resources',
  'restart_policy',
  'placement',
  'endpoint_mode',
];
const WATCH_ORDER = ['path', 'action', 'target', 'exec', 'ignore', 'include', 'initial_sync'];
const TOP_ORDER_YAML = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs'];

function ordered(value: unknown, order: readonly string[]): PlainMap {
  if (!isPlainMap(value)) return value as PlainMap;
  const out: PlainMap = {};
  for (const key of order) if (Object.hasOwn(value, key)) put(out, key, value[key]);
  for (const [key, v] of Object.entries(value)) if (!Object.hasOwn(out, key)) put(out, key, v);
  return out;
}

const bytesText = (v: unknown) => (typeof v === 'number' ? String(v) : v);

/** One service as Compose prints it (and as Compose's config hash sees it). */
export function printableService(service: ServiceConfig): PlainMap {
  const s: PlainMap = {};
  for (const [key, value] of Object.entries(service)) {
    // the map key is the name; service-level extensions are not part of Compose's output
    if (key === 'name' || key.startsWith('x-')) continue;
    put(s, key, value);
  }
  for (const key of ['mem_limit', 'mem_reservation', 'memswap_limit', 'shm_size'])
    if (s[key] !== undefined) s[key] = bytesText(s[key]);
  if (isPlainMap(s.extra_hosts)) s.extra_hosts = hostLines(s.extra_hosts);
  if (isPlainMap(s.build)) {
    const b: PlainMap = { ...s.build };
    if (b.shm_size !== undefined) b.shm_size = bytesText(b.shm_size);
    if (isPlainMap(b.extra_hosts)) b.extra_hosts = hostLines(b.extra_hosts);
    s.build = ordered(b, BUILD_ORDER);
  }
  if (s.command === undefined) s.command = null;
  if (s.entrypoint === undefined) s.entrypoint = null;
  if (Array.isArray(s.ports)) s.ports = s.ports.map((p) => ordered(p, PORT_ORDER));
  if (Array.isArray(s.volumes))
    s.volumes = s.volumes.map((v) => {
      const volume = ordered(v, VOLUME_ORDER);
      if (isPlainMap(volume.tmpfs) && volume.tmpfs.size !== undefined)
        volume.tmpfs = { ...volume.tmpfs, size: bytesText(volume.tmpfs.size) };
      return volume;
    });
  if (isPlainMap(s.healthcheck)) s.healthcheck = ordered(s.healthcheck, HEALTH_ORDER);
  if (isPlainMap(s.depends_on)) {
    const deps: PlainMap = {};
    for (const [k, v] of Object.entries(s.depends_on)) put(deps, k, ordered(v, DEPENDS_ORDER));
    s.depends_on = deps;
  }
  if (isPlainMap(s.deploy)) {
    const d: PlainMap = { ...s.deploy };
    if (isPlainMap(d.resources)) {
      const r: PlainMap = { ...d.resources };
      for (const k of ['limits', 'reservations'])
        if (isPlainMap(r[k]) && (r[k] as PlainMap).memory !== undefined)
          r[k] = { ...(r[k] as PlainMap), memory: bytesText((r[k] as PlainMap).memory) };
      d.resources = r;
    }
    s.deploy = ordered(d, DEPLOY_ORDER);
  }
  if (isPlainMap(s.develop) && Array.isArray(s.develop.watch))
    s.develop = { ...s.develop, watch: s.develop.watch.map((w) => ordered(w, WATCH_ORDER)) };
  return ordered(s, SERVICE_ORDER);
}

function hostLines(hosts: PlainMap): string[] {
  const lines: string[] = [];
  for (const [host, ips] of Object.entries(hosts))
    for (const ip of ips as string[]) lines.push(`${host}=${ip}`);
  return lines.sort();
}

/** The printable model, keys in Compose's order (`json`: sorted top level, as Compose prints it). */
export function printableProject(project: Project, format: 'json' | 'yaml'): PlainMap {
  const out: PlainMap = {};
  for (const [key, value] of Object.entries(project)) {
    if (key === 'disabled_services' || key === 'working_dir') continue;
    if (key === 'services' && isPlainMap(value)) {
      const services: PlainMap = {};
      for (const name of Object.keys(value).sort())
        put(services, name, printableService(value[name] as ServiceConfig));
      put(out, key, services);
    } else if (['networks', 'volumes', 'secrets', 'configs'].includes(key) && isPlainMap(value)) {
      const resources: PlainMap = {};
      for (const name of Object.keys(value).sort())
        put(resources, name, ordered(value[name], RESOURCE_ORDER));
      put(out, key, resources);
    } else put(out, key, value);
  }
  if (format === 'json') {
    const sorted: PlainMap = {};
    for (const key of Object.keys(out).sort()) put(sorted, key, out[key]);
    return sorted;
  }
  return ordered(out, TOP_ORDER_YAML);
}

export interface SerializeOptions {
  format: 'json' | 'yaml';
  /** Double every `$` (Compose does when the model was interpolated). */
  escapeDollars: boolean;
}

export function serializeProject(project: Project, options: SerializeOptions): string {
  return serializeValue(printableProject(project, options.format), options);
}

export function serializeValue(value: unknown, options: SerializeOptions): string {
  const text = options.format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : emitYaml(value);
  return options.escapeDollars ? text.replaceAll('$', '$$$$') : text;
}
