import { TsComposeError } from '../core/errors.js';
import type { Project, ServiceConfig, ServiceFileReference, ServiceNetworkConfig } from '../compose/model.js';
import type {
  ContainerCreateSpec,
  EndpointSpec,
  MountPoint,
  NetworkCreateSpec,
  VolumeCreateSpec,
} from '../engine/engine.js';
import { durationNs, tryParseDuration } from '../core/duration.js';
import { encodeFieldHashes, fieldHashes, type ServiceHasher } from './hash.js';
import { Label, type ProjectLabels } from './labels.js';
import { networkName, referencedService, serviceImage, serviceNetworks, volumeName } from './names.js';

/** Service → Engine API container body, network and volume bodies. Pure: no engine, no files. */

export interface ConvertContext {
  project: Project;
  labels: ProjectLabels;
  /** The negotiated Engine API version: some fields exist only in newer ones. */
  apiVersion: string;
  /** Name of a service's first container, for `service:` references (network_mode, volumes_from...). */
  containerOf: (service: string) => string;
  /** Compose's config hash of a service. */
  hash: ServiceHasher;
  /**
   * The environment of interpolation (shell over .env), where `environment:` secrets and configs read
   * their variable: given, an unset one is an error here, before anything is created.
   */
  environment?: Readonly<Record<string, string>>;
}

export interface ContainerOptions {
  service: string;
  number: number;
  name: string;
  /** Id of the image the container will run, for com.docker.compose.image. */
  imageId?: string;
  oneoff?: boolean;
  /** Id of the container this one replaces. */
  replaces?: string;
  /** Anonymous volumes of the replaced container, mounted again at the same places. */
  inherit?: MountPoint[];
}

/**
 * Where an injected file's content comes from: a variable of the project's environment (read when
 * the file is copied, never held in the plan) or the literal `content:` of the compose file.
 */
export type InjectionSource = { environment: string } | { content: string };

/**
 * A secret or config that is not a file: copied into the container after it is created and before it
 * starts, as Compose does without Swarm (file-based ones are bind mounts).
 */
export interface FileInjection {
  kind: 'secret' | 'config';
  /** The secret's or config's key in the compose file. */
  name: string;
  /** Absolute path in the container. */
  target: string;
  mode: number;
  uid?: number;
  gid?: number;
  source: InjectionSource;
}

/** A container body plus the networks it joins after creation (the API takes one at create time). */
export interface ContainerPlan {
  spec: ContainerCreateSpec;
  connect: { network: string; endpoint: EndpointSpec }[];
  warnings: string[];
  /** Secrets and configs to copy in before the container starts; absent when there are none. */
  inject?: FileInjection[];
}

const atLeast = (version: string, wanted: string) => {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = wanted.split('.').map(Number);
  return a1 - b1 || a2 - b2;
};
const apiAtLeast = (ctx: ConvertContext, wanted: string) => atLeast(ctx.apiVersion, wanted) >= 0;

const sorted = <T>(record: Record<string, T> | undefined) =>
  Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const nonEmpty = <T>(xs: T[] | undefined) => (xs && xs.length > 0 ? xs : undefined);

/** The labels Compose puts on every container of a service. */
export function containerLabels(ctx: ConvertContext, service: ServiceConfig, options: ContainerOptions) {
  const labels: Record<string, string> = { ...service.labels };
  labels[Label.project] = ctx.project.name;
  labels[Label.service] = options.service;
  labels[Label.containerNumber] = String(options.number);
  labels[Label.oneoff] = options.oneoff ? 'True' : 'False';
  labels[Label.configHash] = ctx.hash(service);
  labels[Label.fieldHashes] = encodeFieldHashes(fieldHashes(service));
  if (options.imageId) labels[Label.image] = options.imageId;
  labels[Label.dependsOn] = sorted(service.depends_on)
    .map(([name, d]) => `${name}:${d.condition}:${d.restart ?? false}`)
    .join(',');
  labels[Label.version] = ctx.labels.version;
  labels[Label.workingDir] = ctx.labels.workingDir;
  labels[Label.configFiles] = ctx.labels.configFiles.join(',');
  if (ctx.labels.envFiles.length) labels[Label.environmentFile] = ctx.labels.envFiles.join(',');
  if (options.replaces) labels[Label.replace] = options.replaces;
  return labels;
}

function environment(service: ServiceConfig): string[] | undefined {
  return nonEmpty(sorted(service.environment).map(([k, v]) => (v === null ? k : `${k}=${v}`)));
}

/** `3000`, `3000/udp`, `3000-3002` → `3000/tcp`, ... */
function exposedPorts(service: ServiceConfig): Record<string, object> | undefined {
  const out: Record<string, object> = {};
  for (const p of service.ports ?? []) out[`${p.target}/${p.protocol || 'tcp'}`] = {};
  for (const entry of service.expose ?? []) {
    const [range = '', protocol = 'tcp'] = String(entry).split('/');
    const [from, to] = range.split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let port = from; port <= (to ?? from); port++) out[`${port}/${protocol}`] = {};
  }
  return Object.keys(out).length ? out : undefined;
}

function portBindings(service: ServiceConfig) {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of service.ports ?? []) {
    const key = `${p.target}/${p.protocol || 'tcp'}`;
    (out[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  return Object.keys(out).length ? out : undefined;
}

function healthcheck(ctx: ConvertContext, service: ServiceConfig, warnings: string[]) {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  if (hc.disable || hc.test?.[0] === 'NONE') return { Test: ['NONE'] };
  const spec: NonNullable<ContainerCreateSpec['Healthcheck']> = {
    Test: hc.test,
    Interval: durationNs(hc.interval),
    Timeout: durationNs(hc.timeout),
    Retries: hc.retries,
    StartPeriod: durationNs(hc.start_period),
  };
  if (hc.start_interval !== undefined) {
    if (apiAtLeast(ctx, '1.44')) spec.StartInterval = durationNs(hc.start_interval);
    else
      warnings.push(
        `healthcheck.start_interval of service ${service.name ?? ''} needs Engine API 1.44 (this engine speaks ${ctx.apiVersion}): ignored`,
      );
  }
  return spec;
}

function restartPolicy(service: ServiceConfig) {
  const restart = service.restart;
  if (restart) {
    const [name = 'no', count] = restart.split(':');
    return { Name: name === 'no' ? '' : name, MaximumRetryCount: count ? Number(count) : 0 };
  }
  const policy = service.deploy?.restart_policy;
  if (!policy) return undefined;
  const names: Record<string, string> = { none: '', 'on-failure': 'on-failure', any: 'always' };
  return { Name: names[policy.condition ?? 'any'] ?? 'always', MaximumRetryCount: policy.max_attempts ?? 0 };
}

/** A long-form `uid:`/`gid:`, as Compose reads it: a number. */
function numericId(value: string | undefined, path: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new TsComposeError(`${path} is "${value}", not a numeric id`, {
      code: 'compose.invalid-id',
      exitCode: 15,
      location: { path },
      hint: 'give the numeric uid or gid (e.g. 1000): names are not looked up in the image',
    });
  return Number(value.trim());
}

/**
 * Secrets and configs: read-only binds for files (at /run/secrets/<name> and /<name> by default),
 * injections for `environment:` and `content:` ones. The plan names where the content comes from,
 * never a value.
 */
function fileReferences(ctx: ConvertContext, service: ServiceConfig, kind: 'secrets' | 'configs') {
  const refs: ServiceFileReference[] = service[kind] ?? [];
  const definitions = ctx.project[kind] ?? {};
  const singular = kind === 'secrets' ? 'secret' : 'config';
  const mounts: Record<string, unknown>[] = [];
  const inject: FileInjection[] = [];
  refs.forEach((ref, index) => {
    const def = definitions[ref.source];
    const path = `${kind}.${ref.source}`;
    if (!def)
      throw new TsComposeError(
        `service ${service.name ?? ''} uses ${singular} "${ref.source}", which is not defined`,
        {
          code: 'compose.undefined-reference',
          exitCode: 15,
          location: { path: `services.${service.name ?? ''}.${kind}` },
        },
      );
    const target = ref.target ?? ref.source;
    const absolute = target.startsWith('/')
      ? target
      : kind === 'secrets'
        ? `/run/secrets/${target}`
        : `/${target}`;
    if (def.file) {
      mounts.push({ Type: 'bind', Source: def.file, Target: absolute, ReadOnly: true });
      return;
    }
    let source: InjectionSource;
    if (def.environment !== undefined) {
      if (ctx.environment && ctx.environment[def.environment] === undefined)
        throw new TsComposeError(
          `${singular} "${ref.source}" reads the environment variable ${def.environment}, which is not set`,
          {
            code: 'compose.unset-variable',
            exitCode: 15,
            location: { path: `${path}.environment` },
            hint: `set ${def.environment} in the shell or in the project's .env file`,
          },
        );
      source = { environment: def.environment };
    } else if (def.content !== undefined) source = { content: def.content };
    else
      throw new TsComposeError(
        `${singular} "${ref.source}" has no file, environment or content: ${def.external ? 'external ones need Swarm' : 'nothing to put in the container'}`,
        {
          code: 'compose.unsupported',
          exitCode: 15,
          location: { path },
          hint: `give it a file: ${kind}: { ${ref.source}: { file: ./${ref.source}.txt } }`,
        },
      );
    const where = `services.${service.name ?? ''}.${kind}[${index}]`;
    inject.push({
      kind: singular,
      name: ref.source,
      target: absolute,
      mode: ref.mode ?? 0o444,
      uid: numericId(ref.uid, `${where}.uid`),
      gid: numericId(ref.gid, `${where}.gid`),
      source,
    });
  });
  return { mounts, inject };
}

function mounts(
  ctx: ConvertContext,
  service: ServiceConfig,
  options: ContainerOptions,
  warnings: string[],
  files: Record<string, unknown>[],
) {
  const binds: string[] = [];
  const list: Record<string, unknown>[] = [];
  const targets = new Set<string>();
  // anonymous volumes of a replaced container keep their data, as Compose does: the new container
  // mounts them again at the same places (the service's own and those its image declares)
  const inherited = new Map(
    (options.inherit ?? [])
      .filter((m) => m.type === 'volume' && m.name && /^[0-9a-f]{64}$/.test(m.name))
      .map((m) => [m.destination, m.name]),
  );
  for (const v of service.volumes ?? []) {
    targets.add(v.target);
    switch (v.type) {
      case 'volume':
        list.push({
          Type: 'volume',
          Source: v.source ? volumeName(ctx.project, v.source) : inherited.get(v.target),
          Target: v.target,
          ReadOnly: v.read_only || undefined,
          VolumeOptions: v.volume?.nocopy ? { NoCopy: true } : undefined,
        });
        if (v.volume?.subpath) warnings.push(`volume subpath (${v.target}) needs Engine API 1.45: ignored`);
        break;
      case 'bind': {
        if (v.bind?.create_host_path !== false) {
          const mode = [v.read_only ? 'ro' : 'rw', v.bind?.selinux, v.bind?.propagation].filter(Boolean);
          binds.push(`${v.source ?? ''}:${v.target}:${mode.join(',')}`);
        } else
          list.push({
            Type: 'bind',
            Source: v.source,
            Target: v.target,
            ReadOnly: v.read_only || undefined,
            BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
          });
        break;
      }
      case 'tmpfs':
        list.push({
          Type: 'tmpfs',
          Target: v.target,
          ReadOnly: v.read_only || undefined,
          TmpfsOptions:
            v.tmpfs && (v.tmpfs.size !== undefined || v.tmpfs.mode !== undefined)
              ? { SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode }
              : undefined,
        });
        break;
      default:
        throw new TsComposeError(`volume type "${v.type}" is not supported by tscompose`, {
          code: 'compose.unsupported',
          exitCode: 15,
          location: { path: `services.${options.service}.volumes` },
        });
    }
  }
  list.push(...files);
  for (const [target, name] of inherited)
    if (!targets.has(target)) list.push({ Type: 'volume', Source: name, Target: target });
  return { binds: nonEmpty(binds), mounts: nonEmpty(list) };
}

function tmpfs(service: ServiceConfig) {
  if (!service.tmpfs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const entry of service.tmpfs) {
    const at = entry.indexOf(':');
    out[at < 0 ? entry : entry.slice(0, at)] = at < 0 ? '' : entry.slice(at + 1);
  }
  return out;
}

function extraHosts(hosts: ServiceConfig['extra_hosts']): string[] | undefined {
  if (!hosts) return undefined;
  if (Array.isArray(hosts)) return nonEmpty(hosts.map((h) => h.replace('=', ':')));
  return nonEmpty(sorted(hosts).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`)));
}

function ulimits(service: ServiceConfig) {
  return nonEmpty(
    sorted(service.ulimits).map(([name, u]) => ({
      Name: name,
      Soft: u.single ?? u.soft ?? 0,
      Hard: u.single ?? u.hard ?? 0,
    })),
  );
}

/** `service:db` → `container:<db's first container>`; anything else as written. */
function resolveMode(ctx: ConvertContext, value: string | undefined): string | undefined {
  const other = referencedService(value);
  return other ? `container:${ctx.containerOf(other)}` : value;
}

function endpoint(
  ctx: ConvertContext,
  options: ContainerOptions,
  config: ServiceNetworkConfig | null,
  primary: boolean,
): EndpointSpec {
  const aliases = options.oneoff ? [] : [options.name, options.service, ...(config?.aliases ?? [])];
  const ipam =
    config?.ipv4_address || config?.ipv6_address || config?.link_local_ips?.length
      ? {
          IPv4Address: config.ipv4_address,
          IPv6Address: config.ipv6_address,
          LinkLocalIPs: nonEmpty(config.link_local_ips),
        }
      : undefined;
  return {
    Aliases: nonEmpty([...new Set(aliases)]),
    IPAMConfig: ipam,
    DriverOpts: config?.driver_opts,
    MacAddress: config?.mac_address && (primary ? undefined : config.mac_address),
  };
}

/** Resource limits: the service's own keys win over deploy.resources, as in Compose. */
function resources(service: ServiceConfig) {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const cpus = service.cpus ?? (limits?.cpus !== undefined ? Number(limits.cpus) : undefined);
  return {
    NanoCpus: cpus ? Math.round(cpus * 1e9) : undefined,
    Memory: service.mem_limit ?? limits?.memory,
    MemoryReservation: service.mem_reservation ?? reservations?.memory,
    MemorySwap: service.memswap_limit,
    MemorySwappiness: service.mem_swappiness,
    PidsLimit: service.pids_limit ?? limits?.pids,
    CpuShares: service.cpu_shares,
    CpuQuota: service.cpu_quota,
    CpuPeriod: service.cpu_period,
    CpuRealtimePeriod: service.cpu_rt_period,
    CpuRealtimeRuntime: service.cpu_rt_runtime,
    CpusetCpus: service.cpuset,
    CpuCount: service.cpu_count,
    CpuPercent: service.cpu_percent,
    OomKillDisable: service.oom_kill_disable,
    OomScoreAdj: service.oom_score_adj,
    ShmSize: service.shm_size,
  };
}

function links(ctx: ConvertContext, service: ServiceConfig): string[] | undefined {
  const out = (service.links ?? []).map((link) => {
    const [target = '', alias] = link.split(':');
    return `${ctx.containerOf(target)}:${alias ?? target}`;
  });
  for (const link of service.external_links ?? []) {
    const [target = '', alias] = link.split(':');
    out.push(`${target}:${alias ?? target}`);
  }
  return nonEmpty(out);
}

function volumesFrom(ctx: ConvertContext, service: ServiceConfig): string[] | undefined {
  return nonEmpty(
    (service.volumes_from ?? []).map((entry) => {
      const [first = '', second, third] = entry.split(':');
      if (first === 'container') return [second, third].filter(Boolean).join(':');
      return [ctx.containerOf(first), second].filter(Boolean).join(':');
    }),
  );
}

/** Drops undefined values so that request bodies (and golden tests) stay small. */
function compact<T extends object>(record: T): T {
  const r = record as Record<string, unknown>;
  for (const key of Object.keys(r)) if (r[key] === undefined) delete r[key];
  return record;
}

const ignoredFields = ['gpus', 'post_start', 'pre_stop', 'credential_spec', 'blkio_config'] as const;

/** The create body of one container of a service, and the extra networks it joins. */
export function containerPlan(ctx: ConvertContext, options: ContainerOptions): ContainerPlan {
  const service = ctx.project.services[options.service];
  if (!service) throw new Error(`unknown service ${options.service}`);
  const warnings: string[] = [];
  for (const field of ignoredFields)
    if (service[field] !== undefined)
      warnings.push(`service ${options.service}: "${field}" is not supported yet and was ignored`);

  const networks = serviceNetworks(service);
  const [primary, ...others] = networks;
  const networkMode = service.network_mode
    ? resolveMode(ctx, service.network_mode)
    : primary && networkName(ctx.project, primary[0]);
  const secrets = fileReferences(ctx, service, 'secrets');
  const configs = fileReferences(ctx, service, 'configs');
  const volumes = mounts(ctx, service, options, warnings, [...secrets.mounts, ...configs.mounts]);
  const inject = [...secrets.inject, ...configs.inject];
  const stopMs =
    service.stop_grace_period === undefined ? undefined : tryParseDuration(service.stop_grace_period);
  const primaryMac = primary?.[1]?.mac_address ?? service.mac_address;

  const hostConfig = compact({
    Binds: volumes.binds,
    Mounts: volumes.mounts,
    NetworkMode: networkMode,
    PortBindings: portBindings(service),
    RestartPolicy: restartPolicy(service),
    Init: service.init,
    Privileged: service.privileged,
    ReadonlyRootfs: service.read_only,
    CapAdd: nonEmpty(service.cap_add),
    CapDrop: nonEmpty(service.cap_drop),
    Dns: nonEmpty(service.dns),
    DnsOptions: nonEmpty(service.dns_opt),
    DnsSearch: nonEmpty(service.dns_search),
    ExtraHosts: extraHosts(service.extra_hosts),
    Ulimits: ulimits(service),
    Sysctls: service.sysctls && Object.keys(service.sysctls).length ? service.sysctls : undefined,
    PidMode: resolveMode(ctx, service.pid),
    IpcMode: resolveMode(ctx, service.ipc),
    UTSMode: service.uts,
    UsernsMode: service.userns_mode,
    CgroupnsMode: service.cgroup,
    CgroupParent: service.cgroup_parent,
    SecurityOpt: nonEmpty(service.security_opt),
    GroupAdd: nonEmpty(service.group_add),
    Devices: nonEmpty(
      (service.devices ?? []).map((d) => ({
        PathOnHost: d.source,
        PathInContainer: d.target ?? d.source,
        CgroupPermissions: d.permissions ?? 'rwm',
      })),
    ),
    DeviceCgroupRules: nonEmpty(service.device_cgroup_rules),
    Tmpfs: tmpfs(service),
    LogConfig:
      service.logging?.driver || service.logging?.options
        ? { Type: service.logging.driver ?? '', Config: service.logging.options ?? {} }
        : undefined,
    Runtime: service.runtime,
    Isolation: service.isolation,
    StorageOpt: service.storage_opt,
    Links: links(ctx, service),
    VolumesFrom: volumesFrom(ctx, service),
    ...compact(resources(service)),
  });

  const spec: ContainerCreateSpec = compact({
    name: options.name,
    Image: serviceImage(ctx.project, options.service),
    Labels: containerLabels(ctx, service, options),
    Env: environment(service),
    Cmd: service.command ?? undefined,
    Entrypoint: service.entrypoint ?? undefined,
    WorkingDir: service.working_dir,
    User: service.user,
    Hostname: service.hostname,
    Domainname: service.domainname,
    ExposedPorts: exposedPorts(service),
    Tty: service.tty,
    OpenStdin: service.stdin_open,
    AttachStdout: true,
    AttachStderr: true,
    StopSignal: service.stop_signal,
    StopTimeout: stopMs === undefined ? undefined : Math.floor(stopMs / 1000),
    Healthcheck: healthcheck(ctx, service, warnings),
    MacAddress: primaryMac,
    HostConfig: hostConfig,
    NetworkingConfig:
      primary && !service.network_mode
        ? {
            EndpointsConfig: {
              [networkName(ctx.project, primary[0])]: compact(endpoint(ctx, options, primary[1], true)),
            },
          }
        : undefined,
  });
  return {
    spec,
    connect: others.map(([key, config]) => ({
      network: networkName(ctx.project, key),
      endpoint: compact(endpoint(ctx, options, config, false)),
    })),
    warnings,
    ...(inject.length ? { inject } : {}),
  };
}

export function networkSpec(project: Project, key: string, version: string): NetworkCreateSpec {
  const n = project.networks?.[key] ?? {};
  return compact({
    Name: networkName(project, key),
    Driver: n.driver,
    Options: n.driver_opts,
    IPAM: n.ipam
      ? compact({
          Driver: n.ipam.driver,
          Config: n.ipam.config?.map((c) =>
            compact({
              Subnet: c.subnet,
              Gateway: c.gateway,
              IPRange: c.ip_range,
              AuxiliaryAddresses: c.aux_addresses,
            }),
          ),
          Options: n.ipam.options,
        })
      : undefined,
    Internal: n.internal,
    Attachable: n.attachable,
    EnableIPv6: n.enable_ipv6,
    Labels: { ...n.labels, [Label.network]: key, [Label.project]: project.name, [Label.version]: version },
  });
}

export function volumeSpec(project: Project, key: string, version: string): VolumeCreateSpec {
  const v = project.volumes?.[key] ?? {};
  return compact({
    Name: volumeName(project, key),
    Driver: v.driver,
    DriverOpts: v.driver_opts,
    Labels: { ...v.labels, [Label.project]: project.name, [Label.version]: version, [Label.volume]: key },
  });
}
