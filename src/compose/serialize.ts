import type { Project, ServiceConfig } from './model.js';
import { isPlainMap, put, type PlainMap } from './path.js';
import { emitYaml } from './yaml-emit.js';

/**
 * The Project as Docker Compose prints it with `config`, byte for byte where it matters: Compose's
 * config hash is the sha256 of a service's JSON, so keys come in the order of compose-go's Go
 * structs, and maps (environment, labels, …) with sorted keys, as Go's encoding/json writes them.
 * Byte sizes are decimal strings, `extra_hosts` sorted `host=ip` lines; the loader's bookkeeping
 * (service `name`, disabled services) and service-level extensions are not printed. With
 * `escapeDollars` every `$` is doubled, as Compose does after interpolation. JSON writes Go's
 * always-present fields (`command: null`, `placement: {}`, `ipam: {}`); YAML leaves out empty fields,
 * as Go's yaml `omitempty` does, but keeps an empty struct behind a pointer (`volume: {}`).
 */

/** How a value prints: a Go struct (fields in order), a Go map (sorted keys), a list, or as is. */
type Shape =
  | {
      struct: readonly string[];
      fields?: Record<string, Shape>;
      omitEmpty?: ReadonlySet<string>;
      /** A Go struct held by value, not by pointer: YAML's omitempty drops it when all its fields are empty. */
      byValue?: true;
    }
  | { map: Shape | null }
  | { list: Shape }
  | { bytes: true }
  | { hosts: true };

const bytes: Shape = { bytes: true };
const sortedMap: Shape = { map: null };
const struct = (
  order: readonly string[],
  fields?: Record<string, Shape>,
  omitEmpty?: readonly string[],
): Shape => ({ struct: order, fields, omitEmpty: omitEmpty ? new Set(omitEmpty) : undefined });
const byValue = (shape: Shape): Shape => ({ ...shape, byValue: true });
const mapOf = (values: Shape): Shape => ({ map: values });
const listOf = (items: Shape): Shape => ({ list: items });

const fileReference = listOf(struct(['source', 'target', 'uid', 'gid', 'mode']));
const ulimits = mapOf(struct(['single', 'soft', 'hard']));
const hook = struct(['command', 'user', 'privileged', 'working_dir', 'environment'], {
  environment: sortedMap,
});
const resource = struct(
  ['cpus', 'memory', 'pids', 'devices', 'generic_resources'],
  {
    memory: bytes,
    devices: listOf(
      struct(['capabilities', 'driver', 'count', 'device_ids', 'options'], { options: sortedMap }),
    ),
  },
  ['cpus', 'memory', 'pids'],
);
const updateConfig = struct([
  'parallelism',
  'delay',
  'failure_action',
  'monitor',
  'max_failure_ratio',
  'order',
]);

const build = struct(
  [
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
    'pull',
    'extra_hosts',
    'isolation',
    'network',
    'target',
    'secrets',
    'shm_size',
    'tags',
    'ulimits',
    'platforms',
    'privileged',
  ],
  {
    args: sortedMap,
    labels: sortedMap,
    additional_contexts: sortedMap,
    extra_hosts: { hosts: true },
    secrets: fileReference,
    shm_size: bytes,
    ulimits,
  },
  ['no_cache', 'pull', 'privileged', 'shm_size'],
);

const serviceShape = struct(
  [
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
    'dockerfile',
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
    'volume_driver',
    'volumes',
    'volumes_from',
    'working_dir',
  ],
  {
    annotations: sortedMap,
    build,
    develop: struct(['watch'], {
      watch: listOf(
        struct(['path', 'action', 'target', 'exec', 'ignore', 'include', 'initial_sync'], {
          exec: byValue(hook),
        }),
      ),
    }),
    blkio_config: struct([
      'weight',
      'weight_device',
      'device_read_bps',
      'device_read_iops',
      'device_write_bps',
      'device_write_iops',
    ]),
    configs: fileReference,
    credential_spec: struct(['config', 'file', 'registry']),
    depends_on: mapOf(struct(['condition', 'restart', 'required'], {}, ['restart'])),
    deploy: struct(
      [
        'mode',
        'replicas',
        'labels',
        'update_config',
        'rollback_config',
        'resources',
        'restart_policy',
        'placement',
        'endpoint_mode',
      ],
      {
        labels: sortedMap,
        update_config: updateConfig,
        rollback_config: updateConfig,
        resources: byValue(struct(['limits', 'reservations'], { limits: resource, reservations: resource })),
        restart_policy: struct(['condition', 'delay', 'max_attempts', 'window']),
        placement: byValue(struct(['constraints', 'preferences', 'max_replicas_per_node'])),
      },
    ),
    devices: listOf(struct(['source', 'target', 'permissions'])),
    environment: sortedMap,
    env_file: listOf(struct(['path', 'required', 'format'])),
    extends: struct(['service', 'file']),
    extra_hosts: { hosts: true },
    healthcheck: struct(
      ['test', 'timeout', 'interval', 'retries', 'start_period', 'start_interval', 'disable'],
      {},
      ['disable'],
    ),
    labels: sortedMap,
    logging: struct(['driver', 'options'], { options: sortedMap }),
    mem_limit: bytes,
    mem_reservation: bytes,
    memswap_limit: bytes,
    networks: mapOf(
      struct(
        [
          'priority',
          'gw_priority',
          'aliases',
          'ipv4_address',
          'ipv6_address',
          'link_local_ips',
          'mac_address',
          'driver_opts',
        ],
        { driver_opts: sortedMap },
      ),
    ),
    ports: listOf(
      struct(['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'], {}, ['target']),
    ),
    post_start: listOf(hook),
    pre_stop: listOf(hook),
    secrets: fileReference,
    shm_size: bytes,
    storage_opt: sortedMap,
    sysctls: sortedMap,
    ulimits,
    volumes: listOf(
      struct(
        ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'],
        {
          bind: struct(['selinux', 'propagation', 'create_host_path', 'recursive'], {}, ['create_host_path']),
          volume: struct(['nocopy', 'subpath'], {}, ['nocopy']),
          tmpfs: struct(['size', 'mode'], { size: bytes }, ['size', 'mode']),
        },
        ['read_only'],
      ),
    ),
  },
  // Go fields that are not pointers: false, 0 and "" are not written
  [
    'cpu_count',
    'cpu_percent',
    'cpu_period',
    'cpu_quota',
    'cpu_rt_period',
    'cpu_rt_runtime',
    'cpus',
    'cpu_shares',
    'mem_limit',
    'mem_reservation',
    'memswap_limit',
    'mem_swappiness',
    'oom_kill_disable',
    'oom_score_adj',
    'pids_limit',
    'privileged',
    'read_only',
    'shm_size',
    'stdin_open',
    'tty',
  ],
);

const resourceOrder = [
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
const resourceShape = struct(
  resourceOrder,
  {
    driver_opts: sortedMap,
    labels: sortedMap,
    ipam: byValue(
      struct(['driver', 'config'], {
        config: listOf(
          struct(['subnet', 'ip_range', 'gateway', 'aux_addresses'], { aux_addresses: sortedMap }),
        ),
      }),
    ),
  },
  ['external', 'internal', 'attachable', 'enable_ipv6'],
);

function printable(value: unknown, shape: Shape | null, yaml = false): unknown {
  if (value === undefined || value === null || shape === null) return value;
  if ('bytes' in shape) return typeof value === 'number' ? String(value) : value;
  if ('hosts' in shape) {
    if (!isPlainMap(value)) return value;
    const lines: string[] = [];
    for (const [host, ips] of Object.entries(value))
      for (const ip of ips as string[]) lines.push(`${host}=${ip}`);
    return lines.sort();
  }
  if ('list' in shape) return Array.isArray(value) ? value.map((v) => printable(v, shape.list, yaml)) : value;
  if (!isPlainMap(value)) return value;
  const out: PlainMap = {};
  if ('map' in shape) {
    for (const key of Object.keys(value).sort()) put(out, key, printable(value[key], shape.map, yaml));
    return out;
  }
  const known = new Set(shape.struct);
  for (const key of shape.struct) {
    const v = value[key];
    if (!Object.hasOwn(value, key) || v === undefined) continue;
    // Go's omitempty: a false, 0 or "" in a field that is not a pointer is not written
    if (shape.omitEmpty?.has(key) && (v === false || v === 0 || v === '')) continue;
    const field = shape.fields?.[key] ?? null;
    const printed = printable(v, field, yaml);
    if (yaml && (printed === null || (isEmptyMap(printed) && field !== null && 'byValue' in field))) continue;
    put(out, key, printed);
  }
  // keys this model knows and compose-go's structs do not: last, in their own order
  for (const [key, v] of Object.entries(value))
    if (!known.has(key) && !key.startsWith('x-') && v !== undefined) put(out, key, v);
  return out;
}

const isEmptyMap = (v: unknown) => isPlainMap(v) && Object.keys(v).length === 0;

/** One service as Compose prints it (JSON is also what Compose's config hash sees). */
export function printableService(service: ServiceConfig, format: 'json' | 'yaml' = 'json'): PlainMap {
  const { name: _name, ...rest } = service;
  // fields Go always writes: commands without omitempty, structs that are not pointers
  const withDefaults: PlainMap = { ...rest };
  withDefaults.command ??= null;
  withDefaults.entrypoint ??= null;
  if (isPlainMap(rest.deploy)) withDefaults.deploy = { resources: {}, placement: {}, ...rest.deploy };
  if (isPlainMap(rest.develop) && Array.isArray(rest.develop.watch))
    withDefaults.develop = {
      ...rest.develop,
      watch: rest.develop.watch.map((rule: unknown) =>
        isPlainMap(rule) ? { exec: { command: null }, ...rule } : rule,
      ),
    };
  return printable(withDefaults, serviceShape, format === 'yaml') as PlainMap;
}

const TOP_ORDER_YAML = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs'];

/** The printable model: JSON with the top level sorted (Compose marshals a map), YAML name first. */
export function printableProject(project: Project, format: 'json' | 'yaml'): PlainMap {
  const out: PlainMap = {};
  for (const [key, value] of Object.entries(project)) {
    if (key === 'disabled_services' || key === 'working_dir') continue;
    if (key === 'services' && isPlainMap(value)) {
      const services: PlainMap = {};
      for (const name of Object.keys(value).sort())
        put(services, name, printableService(value[name] as ServiceConfig, format));
      put(out, key, services);
    } else if (['networks', 'volumes', 'secrets', 'configs'].includes(key) && isPlainMap(value)) {
      put(out, key, printable(value, mapOf(resourceShape), format === 'yaml'));
    } else put(out, key, value);
  }
  const keys = Object.keys(out).sort();
  const order =
    format === 'json'
      ? keys
      : [
          ...TOP_ORDER_YAML.filter((k) => keys.includes(k)),
          ...keys.filter((k) => !TOP_ORDER_YAML.includes(k)),
        ];
  const sorted: PlainMap = {};
  for (const key of order) put(sorted, key, out[key]);
  return sorted;
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
