import { TsComposeError } from '../core/errors.js';
import type { Project, ServiceConfig, ServiceFileReference, UpdateConfig } from '../compose/model.js';
import type { NetworkCreateSpec } from '../engine/engine.js';
import type {
  ConfigReferenceSpec,
  ContainerSpec,
  HealthConfigSpec,
  MountSpec,
  PortConfigSpec,
  SecretReferenceSpec,
  ServiceSpec,
  UpdateConfigSpec,
} from '../engine/swarm.js';
import { durationNs } from '../core/duration.js';
import {
  StackLabel,
  serviceName,
  serviceNetworkEntries,
  stackNetworkName,
  stackVolumeName,
} from './names.js';

/**
 * Service → Swarm ServiceSpec, network → overlay network body. Pure: the images, secret and config
 * names are decided before (plan.ts) and given here. What Swarm cannot honour is not converted and
 * is listed by unsupported.ts; nothing is dropped without a word there.
 */
export interface SwarmConvertContext {
  project: Project;
  stack: string;
  /** Service → what its tasks run: an image id (one node), a registry digest, or the reference as written. */
  images: Readonly<Record<string, string>>;
  /** Compose key → engine name of the secret (content-addressed) the services mount. */
  secretNames: Readonly<Record<string, string>>;
  configNames: Readonly<Record<string, string>>;
  /** The negotiated Engine API version: some fields exist only in newer ones. */
  apiVersion: string;
}

export const apiAtLeast = (version: string, wanted: string) => {
  const [a1 = 0, a2 = 0] = version.split('.').map(Number);
  const [b1 = 0, b2 = 0] = wanted.split('.').map(Number);
  return (a1 - b1 || a2 - b2) >= 0;
};

const byKey = <T>(record: Record<string, T> | undefined) =>
  Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const nonEmpty = <T>(xs: T[] | undefined) => (xs && xs.length > 0 ? xs : undefined);
const nonEmptyRecord = <T>(r: Record<string, T> | undefined) => (r && Object.keys(r).length ? r : undefined);

/** Drops undefined values at every depth, so that bodies and golden tests stay small. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v);
  return out as T;
}

const withNamespace = (stack: string, labels: Record<string, string> | undefined) => ({
  ...labels,
  [StackLabel.namespace]: stack,
});

function environment(service: ServiceConfig): string[] | undefined {
  return nonEmpty(byKey(service.environment).map(([k, v]) => (v === null ? k : `${k}=${v}`)));
}

export function healthcheck(service: ServiceConfig, apiVersion: string): HealthConfigSpec | undefined {
  const hc = service.healthcheck;
  if (!hc) return undefined;
  if (hc.disable || hc.test?.[0] === 'NONE') return { Test: ['NONE'] };
  return {
    Test: hc.test,
    Interval: durationNs(hc.interval),
    Timeout: durationNs(hc.timeout),
    Retries: hc.retries,
    StartPeriod: durationNs(hc.start_period),
    StartInterval: apiAtLeast(apiVersion, '1.44') ? durationNs(hc.start_interval) : undefined,
  };
}

/** `deploy.restart_policy`, else `restart:` translated (`unless-stopped` and `always` are `any`), else any. */
function restartPolicy(service: ServiceConfig): NonNullable<ServiceSpec['TaskTemplate']['RestartPolicy']> {
  const policy = service.deploy?.restart_policy;
  if (policy)
    return {
      Condition: policy.condition ?? 'any',
      Delay: durationNs(policy.delay),
      MaxAttempts: policy.max_attempts ?? 0,
      Window: durationNs(policy.window),
    };
  const [name = '', count] = (service.restart ?? '').split(':');
  switch (name) {
    case 'no':
      return { Condition: 'none', MaxAttempts: 0 };
    case 'on-failure':
      return { Condition: 'on-failure', MaxAttempts: count ? Number(count) : 0 };
    default:
      return { Condition: 'any', MaxAttempts: 0 };
  }
}

function fileReferences<K extends 'secrets' | 'configs'>(
  service: ServiceConfig,
  kind: K,
  names: Readonly<Record<string, string>>,
): (K extends 'secrets' ? SecretReferenceSpec : ConfigReferenceSpec)[] | undefined {
  const refs: ServiceFileReference[] = service[kind] ?? [];
  const out = refs.map((ref) => {
    const name = names[ref.source];
    if (name === undefined)
      throw new TsComposeError(
        `service ${service.name ?? ''} uses ${kind.slice(0, -1)} "${ref.source}", which is not defined`,
        {
          code: 'compose.undefined-reference',
          exitCode: 15,
          location: { path: `services.${service.name ?? ''}.${kind}` },
        },
      );
    const file = {
      Name: ref.target ?? ref.source,
      UID: ref.uid ?? '0',
      GID: ref.gid ?? '0',
      Mode: ref.mode ?? 0o444,
    };
    return kind === 'secrets' ? { File: file, SecretName: name } : { File: file, ConfigName: name };
  });
  const nameOf = (r: { SecretName?: string; ConfigName?: string }) => r.SecretName ?? r.ConfigName ?? '';
  out.sort(
    (a, b) =>
      (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0) || (a.File.Name < b.File.Name ? -1 : 1),
  );
  return nonEmpty(out) as (K extends 'secrets' ? SecretReferenceSpec : ConfigReferenceSpec)[] | undefined;
}

/** `size=64m,mode=1777` of a `tmpfs:` entry. */
function tmpfsOptions(options: string): MountSpec['TmpfsOptions'] {
  const out: NonNullable<MountSpec['TmpfsOptions']> = {};
  for (const option of options.split(',')) {
    const [key, value = ''] = option.split('=');
    if (key === 'mode' && /^[0-7]+$/.test(value)) out.Mode = parseInt(value, 8);
    if (key === 'size') {
      const m = /^(\d+)([kmg]?)$/i.exec(value);
      if (m) out.SizeBytes = Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase());
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function mounts(ctx: SwarmConvertContext, service: ServiceConfig): MountSpec[] | undefined {
  const out: MountSpec[] = [];
  for (const v of service.volumes ?? []) {
    switch (v.type) {
      case 'volume': {
        const definition = v.source ? ctx.project.volumes?.[v.source] : undefined;
        const options =
          v.source && !definition?.external
            ? {
                NoCopy: v.volume?.nocopy || undefined,
                Labels: withNamespace(ctx.stack, definition?.labels),
                DriverConfig:
                  definition?.driver || definition?.driver_opts
                    ? { Name: definition.driver, Options: nonEmptyRecord(definition.driver_opts) }
                    : undefined,
              }
            : v.volume?.nocopy
              ? { NoCopy: true }
              : undefined;
        out.push({
          Type: 'volume',
          Source: v.source ? stackVolumeName(ctx.project, ctx.stack, v.source) : undefined,
          Target: v.target,
          ReadOnly: v.read_only || undefined,
          VolumeOptions: options,
        });
        break;
      }
      case 'bind':
        out.push({
          Type: 'bind',
          Source: v.source,
          Target: v.target,
          ReadOnly: v.read_only || undefined,
          BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
        });
        break;
      case 'tmpfs':
        out.push({
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
        throw new TsComposeError(`volume type "${v.type}" cannot be deployed to Swarm by tscompose`, {
          code: 'swarm.unsupported',
          exitCode: 15,
          location: { path: `services.${service.name ?? ''}.volumes` },
        });
    }
  }
  for (const entry of service.tmpfs ?? []) {
    const at = entry.indexOf(':');
    out.push({
      Type: 'tmpfs',
      Target: at < 0 ? entry : entry.slice(0, at),
      TmpfsOptions: at < 0 ? undefined : tmpfsOptions(entry.slice(at + 1)),
    });
  }
  return nonEmpty(out);
}

function extraHosts(hosts: ServiceConfig['extra_hosts']): string[] | undefined {
  return nonEmpty(byKey(hosts).flatMap(([host, ips]) => ips.map((ip) => `${ip} ${host}`)));
}

function ulimits(service: ServiceConfig) {
  return nonEmpty(
    byKey(service.ulimits).map(([name, u]) => ({
      Name: name,
      Soft: u.single ?? u.soft ?? 0,
      Hard: u.single ?? u.hard ?? 0,
    })),
  );
}

/** Limits and reservations: deploy.resources, else the service's own cpus / mem_limit / pids_limit. */
function resources(service: ServiceConfig): ServiceSpec['TaskTemplate']['Resources'] {
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  const nano = (cpus: number | undefined) => (cpus ? Math.round(Number(cpus) * 1e9) : undefined);
  const limit = compact({
    NanoCPUs: nano(limits?.cpus ?? service.cpus),
    MemoryBytes: limits?.memory ?? service.mem_limit,
    Pids: limits?.pids ?? service.pids_limit,
  });
  const reservation = compact({
    NanoCPUs: nano(reservations?.cpus),
    MemoryBytes: reservations?.memory ?? service.mem_reservation,
  });
  if (!Object.keys(limit).length && !Object.keys(reservation).length) return undefined;
  return {
    Limits: Object.keys(limit).length ? limit : undefined,
    Reservations: Object.keys(reservation).length ? reservation : undefined,
  };
}

/** What `docker service create` uses when nothing is said; written out so that specs compare as stored. */
const defaultUpdateConfig: UpdateConfigSpec = {
  Parallelism: 1,
  Delay: 0,
  FailureAction: 'pause',
  Monitor: 5e9,
  MaxFailureRatio: 0,
  Order: 'stop-first',
};

function updateConfig(config: UpdateConfig | undefined): UpdateConfigSpec {
  if (!config) return { ...defaultUpdateConfig };
  return {
    Parallelism: config.parallelism ?? defaultUpdateConfig.Parallelism,
    Delay: durationNs(config.delay) ?? defaultUpdateConfig.Delay,
    FailureAction: config.failure_action ?? defaultUpdateConfig.FailureAction,
    Monitor: durationNs(config.monitor) ?? defaultUpdateConfig.Monitor,
    MaxFailureRatio: config.max_failure_ratio ?? defaultUpdateConfig.MaxFailureRatio,
    Order: config.order ?? defaultUpdateConfig.Order,
  };
}

/** Replicated with `deploy.replicas` (else `scale`, else 1), or global. */
function mode(service: ServiceConfig): ServiceSpec['Mode'] {
  const name = service.deploy?.mode ?? 'replicated';
  if (name === 'global') return { Global: {} };
  if (name === 'replicated')
    return { Replicated: { Replicas: service.deploy?.replicas ?? service.scale ?? 1 } };
  throw new TsComposeError(
    `deploy.mode "${name}" of service ${service.name ?? ''} is not supported by tscompose deploy`,
    {
      code: 'swarm.unsupported',
      exitCode: 15,
      location: { path: `services.${service.name ?? ''}.deploy.mode` },
      hint: 'use replicated or global (jobs are not deployed yet)',
    },
  );
}

/** A published port: one number (a range is refused: a Swarm port publishes exactly one). */
function publishedPort(
  service: ServiceConfig,
  published: string | undefined,
  index: number,
): number | undefined {
  if (published === undefined || published === '') return undefined;
  if (/^\d+$/.test(published)) return Number(published);
  throw new TsComposeError(
    `port range ${published} of service ${service.name ?? ''} cannot be published by Swarm`,
    {
      code: 'swarm.unsupported',
      exitCode: 15,
      location: { path: `services.${service.name ?? ''}.ports[${index}]` },
      hint: 'Swarm publishes one host port per target port: write one port per line (8000:80), or a range on both sides (8000-8002:8000-8002)',
    },
  );
}

function endpointSpec(service: ServiceConfig): ServiceSpec['EndpointSpec'] {
  const ports: PortConfigSpec[] = (service.ports ?? []).map((p, i) =>
    compact({
      Name: p.name,
      Protocol: p.protocol || 'tcp',
      TargetPort: p.target,
      PublishedPort: publishedPort(service, p.published, i),
      PublishMode: p.mode === 'host' ? 'host' : 'ingress',
    }),
  );
  ports.sort(
    (a, b) =>
      a.TargetPort - b.TargetPort ||
      (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) ||
      (a.Protocol < b.Protocol ? -1 : a.Protocol > b.Protocol ? 1 : 0),
  );
  const endpointMode = service.deploy?.endpoint_mode === 'dnsrr' ? 'dnsrr' : 'vip';
  if (endpointMode === 'dnsrr' && ports.some((p) => p.PublishMode === 'ingress'))
    throw new TsComposeError(
      `service ${service.name ?? ''} publishes ports through the ingress network, which endpoint_mode dnsrr cannot`,
      {
        code: 'swarm.dnsrr-ingress',
        exitCode: 15,
        location: { path: `services.${service.name ?? ''}.deploy.endpoint_mode` },
        hint: 'publish in host mode (ports: - {target: 80, published: 8080, mode: host}) or use endpoint_mode: vip',
      },
    );
  return { Mode: endpointMode, Ports: nonEmpty(ports) };
}

function networks(ctx: SwarmConvertContext, name: string, service: ServiceConfig) {
  const out = serviceNetworkEntries(service).map(([key, config]) => {
    const aliases = [...new Set([name, ...(config?.aliases ?? [])])];
    return compact({
      Target: stackNetworkName(ctx.project, ctx.stack, key),
      Aliases: aliases,
      DriverOpts: nonEmptyRecord(config?.driver_opts),
    });
  });
  out.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
  return nonEmpty(out);
}

/** The Swarm service of one compose service. */
export function serviceSpec(ctx: SwarmConvertContext, name: string): ServiceSpec {
  const service = ctx.project.services[name];
  if (!service) throw new Error(`unknown service ${name}`);
  const image = ctx.images[name];
  if (image === undefined) throw new Error(`no image was resolved for service ${name}`);
  const dns =
    service.dns || service.dns_search || service.dns_opt
      ? compact({
          Nameservers: nonEmpty(service.dns),
          Search: nonEmpty(service.dns_search),
          Options: nonEmpty(service.dns_opt),
        })
      : undefined;
  const container: ContainerSpec = compact({
    Image: image,
    Labels: withNamespace(ctx.stack, service.labels),
    Command: service.entrypoint ?? undefined,
    Args: service.command ?? undefined,
    Hostname: service.hostname,
    Env: environment(service),
    Dir: service.working_dir,
    User: service.user,
    Groups: nonEmpty(service.group_add),
    TTY: service.tty || undefined,
    OpenStdin: service.stdin_open || undefined,
    ReadOnly: service.read_only || undefined,
    Mounts: mounts(ctx, service),
    StopSignal: service.stop_signal,
    StopGracePeriod: durationNs(service.stop_grace_period),
    Healthcheck: healthcheck(service, ctx.apiVersion),
    Hosts: extraHosts(service.extra_hosts),
    DNSConfig: dns && Object.keys(dns).length ? dns : undefined,
    Secrets: fileReferences(service, 'secrets', ctx.secretNames),
    Configs: fileReferences(service, 'configs', ctx.configNames),
    Init: service.init,
    Sysctls: nonEmptyRecord(service.sysctls),
    CapabilityAdd: nonEmpty(service.cap_add),
    CapabilityDrop: nonEmpty(service.cap_drop),
    Ulimits: ulimits(service),
    Isolation: service.isolation,
  });
  const placement = service.deploy?.placement;
  return compact({
    Name: serviceName(ctx.stack, name),
    Labels: {
      ...withNamespace(ctx.stack, service.deploy?.labels),
      [StackLabel.image]: service.image ?? `${ctx.project.name}-${name}`,
    },
    TaskTemplate: {
      ContainerSpec: container,
      Resources: resources(service),
      RestartPolicy: restartPolicy(service),
      Placement:
        placement &&
        (placement.constraints?.length || placement.preferences?.length || placement.max_replicas_per_node)
          ? {
              Constraints: nonEmpty(placement.constraints),
              Preferences: nonEmpty(
                (placement.preferences ?? [])
                  .filter((p) => p.spread)
                  .map((p) => ({ Spread: { SpreadDescriptor: p.spread ?? '' } })),
              ),
              MaxReplicas: placement.max_replicas_per_node,
            }
          : undefined,
      Networks: networks(ctx, name, service),
      LogDriver:
        service.logging?.driver || service.logging?.options
          ? { Name: service.logging.driver, Options: nonEmptyRecord(service.logging.options) }
          : undefined,
    },
    Mode: mode(service),
    UpdateConfig: updateConfig(service.deploy?.update_config),
    RollbackConfig: updateConfig(service.deploy?.rollback_config),
    EndpointSpec: endpointSpec(service),
  });
}

/**
 * A project network as Swarm services need it: overlay unless another swarm driver is named.
 * `bridge` (Compose's default) reaches one machine only, so it becomes overlay (unsupported.ts says so).
 */
export function stackNetworkSpec(project: Project, stack: string, key: string): NetworkCreateSpec {
  const n = project.networks?.[key] ?? {};
  const driver = !n.driver || n.driver === 'bridge' ? 'overlay' : n.driver;
  return compact({
    Name: stackNetworkName(project, stack, key),
    Driver: driver,
    Options: nonEmptyRecord(n.driver_opts),
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
    Labels: withNamespace(stack, n.labels),
  });
}
