/**
 * The loaded, canonical Compose project: what `compose/` produces and every other room reads.
 *
 * It mirrors the model Docker Compose v2 prints with `config --format json` (compose-go's types),
 * key for key, so serializing it is `config`. Every value is in long syntax: ports, volumes,
 * depends_on, environment, build, secrets and configs are objects; relative paths are absolute;
 * variables are interpolated. Durations stay strings as Compose prints them (`1m30s`); use
 * `parseDuration` (core/duration.ts) to get milliseconds. The loader freezes it: treat it as read-only.
 *
 * Where a typed value serves the rest of the program better, the model holds it and serialize.ts
 * prints Compose's form: byte sizes (`mem_limit`, `shm_size`, `deploy.resources.*.memory`,
 * tmpfs `size`) are numbers of bytes here and decimal strings in `config`; `extra_hosts` is
 * host → IPs here and sorted `host=ip` lines there; the service `name` is not printed.
 * `env_file` is read at load time into `environment` (which wins), as Compose does.
 */

export type Extensions = { [key: `x-${string}`]: unknown };

export interface Project {
  name: string;
  /** Absolute project directory: `--project-directory`, else the first compose file's folder. */
  working_dir?: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, SecretConfig>;
  configs?: Record<string, ConfigObjConfig>;
  /** Services left out because none of their profiles is enabled (not printed by `config`). */
  disabled_services?: Record<string, ServiceConfig>;
  [key: `x-${string}`]: unknown;
}

/** Facts about how the project was loaded, kept beside the model (labels need them). */
export interface ProjectSource {
  /** Absolute paths of the compose files, in `-f` order. */
  configFiles: string[];
  /** Absolute paths of the env files that were read (`.env` or `--env-file`). */
  envFiles: string[];
  workingDir: string;
  /** The environment interpolation used: shell over env files. */
  environment: Readonly<Record<string, string>>;
  profiles: string[];
}

export interface ServiceConfig {
  /** Filled by the loader from the map key. */
  name?: string;
  profiles?: string[];
  annotations?: Record<string, string>;
  attach?: boolean;
  build?: BuildConfig;
  blkio_config?: Record<string, unknown>;
  cap_add?: string[];
  cap_drop?: string[];
  cgroup?: string;
  cgroup_parent?: string;
  /** null when not set (Compose prints `"command": null`); a string array once split. */
  command: string[] | null;
  configs?: ServiceFileReference[];
  container_name?: string;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpus?: number;
  cpuset?: string;
  cpu_shares?: number;
  credential_spec?: Record<string, unknown>;
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  develop?: DevelopConfig;
  device_cgroup_rules?: string[];
  devices?: DeviceMapping[];
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  domainname?: string;
  entrypoint: string[] | null;
  /** Values are null for a variable declared without a value and absent from the environment. */
  environment?: Record<string, string | null>;
  env_file?: EnvFileConfig[];
  expose?: string[];
  extends?: { service: string; file?: string };
  external_links?: string[];
  /** Host name → addresses (`host-gateway` included), in the order written. */
  extra_hosts?: Record<string, string[]>;
  gpus?: unknown[];
  group_add?: string[];
  healthcheck?: HealthCheckConfig;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  isolation?: string;
  labels?: Record<string, string>;
  label_file?: string[];
  links?: string[];
  logging?: LoggingConfig;
  mac_address?: string;
  mem_limit?: number;
  mem_reservation?: number;
  mem_swappiness?: number;
  memswap_limit?: number;
  network_mode?: string;
  /** Network name → attachment options (null: attached with defaults). */
  networks?: Record<string, ServiceNetworkConfig | null>;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pid?: string;
  pids_limit?: number;
  platform?: string;
  ports?: ServicePortConfig[];
  post_start?: ServiceHook[];
  pre_stop?: ServiceHook[];
  privileged?: boolean;
  pull_policy?: 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | string;
  read_only?: boolean;
  restart?: string;
  runtime?: string;
  scale?: number;
  secrets?: ServiceFileReference[];
  security_opt?: string[];
  shm_size?: number;
  stdin_open?: boolean;
  stop_grace_period?: string;
  stop_signal?: string;
  storage_opt?: Record<string, string>;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, UlimitConfig>;
  user?: string;
  userns_mode?: string;
  uts?: string;
  volumes?: ServiceVolumeConfig[];
  volumes_from?: string[];
  working_dir?: string;
  [key: `x-${string}`]: unknown;
}

export interface BuildConfig {
  /** Absolute path of a local directory (a git URL is kept as written and refused by the builder). */
  context: string;
  /** Relative to the context, as written; default `Dockerfile`. Absent when `dockerfile_inline` is set. */
  dockerfile?: string;
  dockerfile_inline?: string;
  args?: Record<string, string | null>;
  ssh?: string[];
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  additional_contexts?: Record<string, string>;
  network?: string;
  pull?: boolean;
  target?: string;
  shm_size?: number;
  extra_hosts?: Record<string, string[]>;
  isolation?: string;
  privileged?: boolean;
  secrets?: ServiceFileReference[];
  tags?: string[];
  ulimits?: Record<string, UlimitConfig>;
  platforms?: string[];
}

export interface ServiceDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  required: boolean;
  restart?: boolean;
}

export interface ServicePortConfig {
  name?: string;
  mode: 'ingress' | 'host';
  host_ip?: string;
  target: number;
  /** A port or a range (`8080`, `8000-8010`), a string as Compose prints it. */
  published?: string;
  protocol: 'tcp' | 'udp' | 'sctp' | string;
  app_protocol?: string;
}

export interface ServiceVolumeConfig {
  type: 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Volume name (project-level key) or absolute host path; absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: 'z' | 'Z'; recursive?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  /** `size` in bytes. */
  tmpfs?: { size?: number; mode?: number };
  image?: { subpath?: string };
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
}

export interface HealthCheckConfig {
  /** `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`. */
  test?: string[];
  timeout?: string;
  interval?: string;
  retries?: number;
  start_period?: string;
  start_interval?: string;
  disable?: boolean;
}

export interface ServiceFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface EnvFileConfig {
  /** Absolute path. */
  path: string;
  required: boolean;
  format?: string;
}

export interface LoggingConfig {
  driver?: string;
  options?: Record<string, string>;
}

export interface UlimitConfig {
  single?: number;
  soft?: number;
  hard?: number;
}

export interface DeviceMapping {
  source: string;
  target?: string;
  permissions?: string;
}

export interface ServiceHook {
  command: string[];
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment?: Record<string, string | null>;
}

export interface DeployConfig {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  update_config?: UpdateConfig;
  rollback_config?: UpdateConfig;
  resources?: {
    limits?: ResourceSpec;
    reservations?: ResourceSpec & { devices?: Record<string, unknown>[]; generic_resources?: unknown[] };
  };
  restart_policy?: { condition?: string; delay?: string; max_attempts?: number; window?: string };
  placement?: {
    constraints?: string[];
    preferences?: { spread?: string }[];
    max_replicas_per_node?: number;
  };
  endpoint_mode?: string;
}

export interface ResourceSpec {
  cpus?: number;
  /** Bytes. */
  memory?: number;
  pids?: number;
}

export interface UpdateConfig {
  parallelism?: number;
  delay?: string;
  failure_action?: string;
  monitor?: string;
  max_failure_ratio?: number;
  order?: string;
}

export interface DevelopConfig {
  watch?: WatchRule[];
}

export interface WatchRule {
  /** Absolute host path. */
  path: string;
  action: 'sync' | 'rebuild' | 'restart' | 'sync+restart' | 'sync+exec';
  target?: string;
  ignore?: string[];
  include?: string[];
  exec?: ServiceHook;
  initial_sync?: boolean;
}

export interface NetworkConfig {
  /** The engine's name: `<project>_<key>` unless given or external. */
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: {
    driver?: string;
    config?: {
      subnet?: string;
      gateway?: string;
      ip_range?: string;
      aux_addresses?: Record<string, string>;
    }[];
    options?: Record<string, string>;
  };
  external?: boolean;
  internal?: boolean;
  attachable?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  labels?: Record<string, string>;
  [key: `x-${string}`]: unknown;
}

export interface VolumeConfig {
  /** The engine's name: `<project>_<key>` unless given or external. */
  name?: string;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  [key: `x-${string}`]: unknown;
}

/** A project-level secret: a file (absolute path), an environment variable, or external. */
export interface SecretConfig {
  name?: string;
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
  [key: `x-${string}`]: unknown;
}

export type ConfigObjConfig = SecretConfig;
