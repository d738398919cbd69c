import type { Project, ServiceConfig, ServiceNetworkConfig } from '../compose/model.js';

/** Engine names of a project's resources, as Compose gives them. */

/** `<project>-<service>-<n>`, or the service's `container_name`. */
export function containerName(project: Project, serviceName: string, n: number): string {
  return project.services[serviceName]?.container_name ?? `${project.name}-${serviceName}-${n}`;
}

export function networkName(project: Project, key: string): string {
  const config = project.networks?.[key];
  if (config?.name) return config.name;
  return config?.external ? key : `${project.name}_${key}`;
}

export function volumeName(project: Project, key: string): string {
  const config = project.volumes?.[key];
  if (config?.name) return config.name;
  return config?.external ? key : `${project.name}_${key}`;
}

/** The image a service runs: `image`, else the one Compose builds for it, `<project>-<service>`. */
export function serviceImage(project: Project, serviceName: string): string {
  return project.services[serviceName]?.image ?? `${project.name}-${serviceName}`;
}

/**
 * The networks a service joins, primary first: by priority (highest first), then by name, as Compose
 * orders them. A service without `networks` and without `network_mode` joins `default`.
 */
export function serviceNetworks(service: ServiceConfig): [string, ServiceNetworkConfig | null][] {
  if (service.network_mode) return [];
  const entries = Object.entries(service.networks ?? {});
  if (entries.length === 0) return [['default', null]];
  return entries.sort(
    ([a, x], [b, y]) => (y?.priority ?? 0) - (x?.priority ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
}

/** `service:db` → `db`, for network_mode, pid, ipc, volumes_from. */
export function referencedService(value: string | undefined): string | undefined {
  return value?.startsWith('service:') ? value.slice('service:'.length) : undefined;
}

/** How many containers a service runs: the --scale option, else `scale`, else `deploy.replicas`, else 1. */
export function desiredScale(service: ServiceConfig, override: number | undefined): number {
  return override ?? service.scale ?? service.deploy?.replicas ?? 1;
}
