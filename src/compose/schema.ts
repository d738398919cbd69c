/**
 * The Compose Specification's keys and types, as data for validate.ts: what each key accepts in
 * the files people write (short and long syntax). Numbers and booleans also accept strings that
 * read as such, since interpolation produces strings (`replicas: ${N}`), as Compose's casts do.
 */

export type Schema =
  | { kind: 'string' }
  | { kind: 'number'; integer?: boolean }
  | { kind: 'boolean' }
  /** string, number, boolean or null: label and environment values */
  | { kind: 'scalar' }
  | { kind: 'any' }
  | { kind: 'list'; items: Schema }
  | { kind: 'object'; props: Record<string, Schema>; extensions?: boolean; required?: string[] }
  /** any keys (names of services, networks…, or free maps) */
  | { kind: 'dict'; values: Schema; keys?: RegExp }
  | { kind: 'oneOf'; options: Schema[]; expected: string }
  | { kind: 'enum'; values: string[] }
  | { kind: 'nullable'; schema: Schema };

const string: Schema = { kind: 'string' };
const number: Schema = { kind: 'number' };
const integer: Schema = { kind: 'number', integer: true };
const boolean: Schema = { kind: 'boolean' };
const scalar: Schema = { kind: 'scalar' };
const any: Schema = { kind: 'any' };
const list = (items: Schema): Schema => ({ kind: 'list', items });
const object = (props: Record<string, Schema>, required?: string[]): Schema => ({
  kind: 'object',
  props,
  extensions: true,
  ...(required ? { required } : {}),
});
const dict = (values: Schema): Schema => ({ kind: 'dict', values });
const named = (values: Schema): Schema => ({ kind: 'dict', values, keys: NAME_PATTERN });
const oneOf = (expected: string, ...options: Schema[]): Schema => ({ kind: 'oneOf', options, expected });
const nullable = (schema: Schema): Schema => ({ kind: 'nullable', schema });
const enumOf = (...values: string[]): Schema => ({ kind: 'enum', values });

const stringOrList = oneOf('a string or a list of strings', string, list(string));
const listOrDict = oneOf('a list of KEY=VALUE strings or a map', list(scalar), dict(nullable(scalar)));
const stringOrNumber = oneOf('a string or a number', string, number);
/** Go durations are strings (`30s`); Compose refuses a bare number. */
const duration = string;
const command = nullable(oneOf('a string or a list of strings', string, list(string)));
const extraHosts = oneOf(
  'a list of host:ip strings or a map',
  list(string),
  dict(oneOf('an IP or a list of IPs', string, list(string))),
);
const ulimits = dict(
  oneOf('a number or {soft, hard}', integer, object({ soft: integer, hard: integer }, ['soft', 'hard'])),
);
const fileRefs = list(
  oneOf(
    'a name or {source, target, uid, gid, mode}',
    string,
    object({ source: string, target: string, uid: string, gid: string, mode: stringOrNumber }),
  ),
);
const blkioLimit = list(object({ path: string, rate: stringOrNumber }));
const blkioWeight = list(object({ path: string, weight: integer }));

const hook = object({
  command,
  user: string,
  privileged: boolean,
  working_dir: string,
  environment: listOrDict,
});

const build = oneOf(
  'a context path or a build map',
  string,
  object({
    context: string,
    dockerfile: string,
    dockerfile_inline: string,
    entitlements: list(string),
    args: listOrDict,
    ssh: listOrDict,
    labels: listOrDict,
    cache_from: list(string),
    cache_to: list(string),
    no_cache: boolean,
    additional_contexts: listOrDict,
    network: string,
    pull: boolean,
    target: string,
    shm_size: stringOrNumber,
    extra_hosts: extraHosts,
    isolation: string,
    privileged: boolean,
    secrets: fileRefs,
    tags: list(string),
    ulimits,
    platforms: list(string),
  }),
);

const resourceSpec = object({
  cpus: stringOrNumber,
  // a size with its unit; Compose refuses a bare number here (unlike mem_limit)
  memory: string,
  pids: integer,
});

const updateConfig = object({
  parallelism: integer,
  delay: duration,
  failure_action: string,
  monitor: duration,
  max_failure_ratio: number,
  order: enumOf('start-first', 'stop-first'),
});

const deploy = nullable(
  object({
    mode: string,
    endpoint_mode: string,
    replicas: integer,
    labels: listOrDict,
    rollback_config: updateConfig,
    update_config: updateConfig,
    resources: object({
      limits: resourceSpec,
      reservations: object({
        cpus: stringOrNumber,
        memory: string,
        pids: integer,
        generic_resources: list(any),
        devices: list(
          object({
            capabilities: list(string),
            count: oneOf('a number or "all"', integer, string),
            device_ids: list(string),
            driver: string,
            options: dict(scalar),
          }),
        ),
      }),
    }),
    restart_policy: object({
      condition: string,
      delay: duration,
      max_attempts: integer,
      window: duration,
    }),
    placement: object({
      constraints: list(string),
      preferences: list(object({ spread: string })),
      max_replicas_per_node: integer,
    }),
  }),
);

const serviceNetwork = nullable(
  object({
    aliases: list(string),
    ipv4_address: string,
    ipv6_address: string,
    link_local_ips: list(string),
    mac_address: string,
    driver_opts: dict(scalar),
    priority: number,
    gw_priority: number,
  }),
);

const port = oneOf(
  'a port string such as "8080:80" or a port map',
  stringOrNumber,
  object({
    name: string,
    mode: string,
    host_ip: string,
    target: integer,
    published: stringOrNumber,
    protocol: string,
    app_protocol: string,
  }),
);

const volumeMount = oneOf(
  'a volume string such as "data:/var/lib/data" or a volume map',
  string,
  object(
    {
      type: enumOf('volume', 'bind', 'tmpfs', 'npipe', 'cluster', 'image'),
      source: string,
      target: string,
      read_only: boolean,
      consistency: string,
      bind: object({
        propagation: string,
        create_host_path: boolean,
        selinux: enumOf('z', 'Z'),
        recursive: enumOf('enabled', 'disabled', 'writable', 'readonly'),
      }),
      volume: object({ nocopy: boolean, subpath: string }),
      tmpfs: object({ size: stringOrNumber, mode: stringOrNumber }),
      image: object({ subpath: string }),
    },
    ['type'],
  ),
);

/** Names of services, networks, volumes, secrets and configs. */
export const NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

export const serviceSchema: Schema = object({
  annotations: listOrDict,
  attach: boolean,
  build,
  blkio_config: object({
    device_read_bps: blkioLimit,
    device_read_iops: blkioLimit,
    device_write_bps: blkioLimit,
    device_write_iops: blkioLimit,
    weight: integer,
    weight_device: blkioWeight,
  }),
  cap_add: list(string),
  cap_drop: list(string),
  cgroup: enumOf('host', 'private'),
  cgroup_parent: string,
  command,
  configs: fileRefs,
  container_name: string,
  cpu_count: integer,
  cpu_percent: integer,
  cpu_shares: integer,
  cpu_quota: integer,
  cpu_period: integer,
  cpu_rt_period: stringOrNumber,
  cpu_rt_runtime: stringOrNumber,
  cpus: stringOrNumber,
  cpuset: string,
  credential_spec: object({ config: string, file: string, registry: string }),
  depends_on: oneOf(
    'a list of service names or a map',
    list(string),
    dict(
      object(
        {
          condition: enumOf('service_started', 'service_healthy', 'service_completed_successfully'),
          restart: boolean,
          required: boolean,
        },
        ['condition'],
      ),
    ),
  ),
  deploy,
  develop: nullable(
    object({
      watch: list(
        object(
          {
            path: string,
            action: enumOf('rebuild', 'sync', 'restart', 'sync+restart', 'sync+exec'),
            target: string,
            ignore: stringOrList,
            include: stringOrList,
            exec: hook,
            initial_sync: boolean,
          },
          ['path', 'action'],
        ),
      ),
    }),
  ),
  device_cgroup_rules: list(string),
  devices: list(
    oneOf('a device string or map', string, object({ source: string, target: string, permissions: string })),
  ),
  dns: stringOrList,
  dns_opt: list(string),
  dns_search: stringOrList,
  domainname: string,
  entrypoint: command,
  env_file: oneOf(
    'a path or a list of paths',
    string,
    list(
      oneOf(
        'a path or {path, required}',
        string,
        object({ path: string, required: boolean, format: string }, ['path']),
      ),
    ),
  ),
  label_file: stringOrList,
  environment: listOrDict,
  expose: list(stringOrNumber),
  extends: oneOf(
    'a service name or {service, file}',
    string,
    object({ service: string, file: string }, ['service']),
  ),
  external_links: list(string),
  extra_hosts: extraHosts,
  gpus: oneOf('"all" or a list of devices', string, list(any)),
  group_add: list(stringOrNumber),
  healthcheck: object({
    disable: boolean,
    interval: duration,
    retries: number,
    test: oneOf('a string or a list of strings', string, list(string)),
    timeout: duration,
    start_period: duration,
    start_interval: duration,
  }),
  hostname: string,
  image: string,
  init: boolean,
  ipc: string,
  isolation: string,
  labels: listOrDict,
  links: list(string),
  logging: object({ driver: string, options: dict(nullable(scalar)) }),
  mac_address: string,
  mem_limit: stringOrNumber,
  mem_reservation: stringOrNumber,
  mem_swappiness: integer,
  memswap_limit: stringOrNumber,
  network_mode: string,
  networks: oneOf('a list of network names or a map', list(string), dict(serviceNetwork)),
  oom_kill_disable: boolean,
  oom_score_adj: integer,
  pid: nullable(string),
  pids_limit: stringOrNumber,
  platform: string,
  ports: list(port),
  post_start: list(hook),
  pre_stop: list(hook),
  privileged: boolean,
  profiles: list(string),
  pull_policy: string,
  read_only: boolean,
  restart: string,
  runtime: string,
  scale: integer,
  security_opt: list(string),
  shm_size: stringOrNumber,
  secrets: fileRefs,
  sysctls: listOrDict,
  stdin_open: boolean,
  stop_grace_period: duration,
  stop_signal: string,
  storage_opt: dict(scalar),
  tmpfs: stringOrList,
  tty: boolean,
  ulimits,
  user: string,
  uts: string,
  userns_mode: string,
  volumes: list(volumeMount),
  volumes_from: list(string),
  working_dir: string,
});

const external = oneOf('true, false or {name}', boolean, object({ name: string }));

export const networkSchema: Schema = nullable(
  object({
    name: string,
    driver: string,
    driver_opts: dict(scalar),
    ipam: object({
      driver: string,
      config: list(
        object({ subnet: string, ip_range: string, gateway: string, aux_addresses: dict(string) }),
      ),
      options: dict(string),
    }),
    external,
    internal: boolean,
    enable_ipv4: boolean,
    enable_ipv6: boolean,
    attachable: boolean,
    labels: listOrDict,
  }),
);

export const volumeSchema: Schema = nullable(
  object({
    name: string,
    driver: string,
    driver_opts: dict(scalar),
    external,
    labels: listOrDict,
  }),
);

const fileObject = (extra: Record<string, Schema>): Schema =>
  nullable(
    object({
      name: string,
      file: string,
      environment: string,
      content: string,
      external,
      labels: listOrDict,
      template_driver: string,
      ...extra,
    }),
  );

export const secretSchema = fileObject({ driver: string, driver_opts: dict(scalar) });
export const configSchema = fileObject({});

const includeSchema = list(
  oneOf(
    'a path or {path, project_directory, env_file}',
    string,
    object({ path: stringOrList, env_file: stringOrList, project_directory: string }, ['path']),
  ),
);

export const projectSchema: Schema = object({
  version: string,
  name: string,
  include: includeSchema,
  services: nullable(named(nullable(serviceSchema))),
  networks: nullable(named(networkSchema)),
  volumes: nullable(named(volumeSchema)),
  secrets: nullable(named(secretSchema)),
  configs: nullable(named(configSchema)),
});
