import type { Project, ServiceConfig } from '../compose/model.js';
import { apiAtLeast } from './convert.js';

/**
 * What a compose file asks that Swarm cannot honour, in words, per service: `docker stack deploy`
 * drops these silently; tscompose lists each one before deploying. Only what is set is listed.
 */

/** Service fields Swarm services have no place for, and what to know about each. */
const ignored: [field: keyof ServiceConfig, why: string][] = [
  ['container_name', 'Swarm names task containers <stack>_<service>.<slot>.<task id>'],
  ['privileged', 'Swarm services cannot run privileged containers'],
  ['network_mode', 'Swarm services join overlay networks only'],
  ['links', 'reach the service by its name instead (every service has it as a network alias)'],
  ['external_links', 'reach the service by its name on a shared network instead'],
  ['volumes_from', 'Swarm tasks cannot share another container’s volumes; use a named volume'],
  ['pid', 'Swarm tasks have their own PID namespace'],
  ['ipc', 'Swarm tasks have their own IPC namespace'],
  ['uts', 'Swarm tasks have their own UTS namespace'],
  ['userns_mode', 'Swarm services cannot choose a user namespace'],
  ['cgroup', 'Swarm services cannot choose a cgroup namespace'],
  ['cgroup_parent', 'Swarm services cannot choose a parent cgroup'],
  ['devices', 'Swarm services cannot map host devices'],
  ['device_cgroup_rules', 'Swarm services cannot add device cgroup rules'],
  ['cpu_shares', 'Swarm limits CPUs with deploy.resources (cpus) only'],
  ['cpu_quota', 'Swarm limits CPUs with deploy.resources (cpus) only'],
  ['cpu_period', 'Swarm limits CPUs with deploy.resources (cpus) only'],
  ['cpuset', 'Swarm cannot pin tasks to CPUs'],
  ['cpu_rt_period', 'Swarm has no real-time CPU settings'],
  ['cpu_rt_runtime', 'Swarm has no real-time CPU settings'],
  ['cpu_count', 'Swarm limits CPUs with deploy.resources (cpus) only'],
  ['cpu_percent', 'Swarm limits CPUs with deploy.resources (cpus) only'],
  ['mem_swappiness', 'Swarm has no swap settings'],
  ['memswap_limit', 'Swarm has no swap settings'],
  ['oom_kill_disable', 'Swarm cannot disable the OOM killer'],
  ['shm_size', 'Swarm cannot size /dev/shm; mount a tmpfs there instead'],
  ['security_opt', 'Swarm services take no security options'],
  ['storage_opt', 'Swarm services take no storage options'],
  ['runtime', 'Swarm services run with the default runtime'],
  [
    'platform',
    'Swarm places tasks by constraints (deploy.placement.constraints: [node.platform.arch == ...])',
  ],
  ['mac_address', 'Swarm tasks get their addresses from the overlay network'],
  ['domainname', 'Swarm services have a hostname only'],
  ['expose', 'on an overlay network every port of a service is reachable by the others anyway'],
  ['post_start', 'Swarm has no lifecycle hooks'],
  ['pre_stop', 'Swarm has no lifecycle hooks'],
  ['gpus', 'request GPUs as deploy.resources.reservations.generic_resources instead'],
  ['blkio_config', 'Swarm has no block I/O limits'],
  ['credential_spec', 'credential specs are for Windows nodes and are not deployed by tscompose'],
  ['pull_policy', 'every node pulls what it needs; tscompose runs images built here by their id'],
];

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * The lines to show for one service, each `<field>: <what happens>`. `order` is the services it is
 * deployed after (its depends_on), `multiNode` whether the swarm has more than one node.
 */
export function unsupportedFields(
  project: Project,
  name: string,
  apiVersion: string,
  options: { multiNode: boolean },
): string[] {
  const service = project.services[name];
  if (!service) return [];
  const lines: string[] = [];
  const add = (field: string, why: string) => lines.push(`${field}: ${why}`);

  if (service.build)
    add(
      'build',
      options.multiNode
        ? 'Swarm builds nothing: the image is built here and must be pushed to a registry every node reaches'
        : 'Swarm builds nothing: the image is built here, and this node runs it by its id',
    );
  const dependencies = Object.entries(service.depends_on ?? {});
  if (dependencies.length) {
    const healthy = dependencies.filter(([, d]) => d.condition === 'service_healthy').map(([n]) => n);
    const completed = dependencies
      .filter(([, d]) => d.condition === 'service_completed_successfully')
      .map(([n]) => n);
    add(
      'depends_on',
      `Swarm starts and restarts services in any order; tscompose deploys ${dependencies.map(([n]) => n).join(', ')} first` +
        (healthy.length ? ` and waits until the tasks of ${healthy.join(', ')} are healthy` : '') +
        ', but only during this deploy' +
        (completed.length
          ? ` (service_completed_successfully of ${completed.join(', ')} is waited for as running)`
          : ''),
    );
  }
  for (const [field, why] of ignored) if (isSet(service[field])) add(field, `${why} (ignored)`);
  if (service.oom_score_adj !== undefined && !apiAtLeast(apiVersion, '1.46'))
    add(
      'oom_score_adj',
      `Swarm services take it from Engine API 1.46 (this engine speaks ${apiVersion}) (ignored)`,
    );
  if (service.healthcheck?.start_interval !== undefined && !apiAtLeast(apiVersion, '1.44'))
    add('healthcheck.start_interval', `needs Engine API 1.44 (this engine speaks ${apiVersion}) (ignored)`);
  if (service.restart && service.deploy?.restart_policy)
    add('restart', 'deploy.restart_policy is set and wins (ignored)');
  (service.ports ?? []).forEach((p, i) => {
    if (p.host_ip)
      add(
        `ports[${i}].host_ip`,
        `Swarm publishes on every address of the node, not only ${p.host_ip} (ignored)`,
      );
  });
  for (const [key, config] of Object.entries(service.networks ?? {})) {
    if (!config) continue;
    for (const field of [
      'ipv4_address',
      'ipv6_address',
      'link_local_ips',
      'mac_address',
      'priority',
      'gw_priority',
    ] as const)
      if (isSet(config[field]))
        add(`networks.${key}.${field}`, 'Swarm assigns addresses and orders networks itself (ignored)');
  }
  (service.volumes ?? []).forEach((v, i) => {
    if (v.type === 'bind')
      add(
        `volumes[${i}]`,
        `Swarm does not create missing host paths: ${v.source ?? ''} must exist on ${options.multiNode ? 'every node' : 'this node'}`,
      );
    if (v.bind?.selinux)
      add(`volumes[${i}].bind.selinux`, 'Swarm mounts take no SELinux relabeling (ignored)');
    if (v.volume?.subpath) add(`volumes[${i}].volume.subpath`, 'Swarm mounts take no subpath (ignored)');
  });
  const reservations = service.deploy?.resources?.reservations;
  if (isSet(reservations?.devices))
    add(
      'deploy.resources.reservations.devices',
      'Swarm reserves no devices; use generic_resources (ignored)',
    );
  if (isSet(reservations?.generic_resources))
    add('deploy.resources.reservations.generic_resources', 'not deployed by tscompose yet (ignored)');
  if (service.logging?.driver === 'none' && service.logging.options)
    add('logging.options', 'the none driver takes no options (ignored)');
  return lines;
}

/** Network-level lines, keyed `network <key>`. */
export function unsupportedNetwork(project: Project, key: string): string[] {
  const n = project.networks?.[key];
  if (!n || n.external) return [];
  const lines: string[] = [];
  if (n.driver === 'bridge')
    lines.push(
      'driver: bridge connects one machine only; Swarm services need overlay, so it is created as overlay',
    );
  if (n.enable_ipv4 === false) lines.push('enable_ipv4: Swarm networks always have IPv4 (ignored)');
  return lines;
}
