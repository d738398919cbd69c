import type { Project, ServiceConfig } from '../compose/model.js';

/**
 * The names and labels of a stack on a swarm, as `docker stack deploy` gives them, so that
 * `docker stack ls/ps/rm` and `tscompose stack ...` see the same stacks: every object is named
 * `<stack>_<key>` and carries com.docker.stack.namespace=<stack>.
 */
export const StackLabel = {
  namespace: 'com.docker.stack.namespace',
  /** The image as the compose file names it (the service runs it by id or digest). */
  image: 'com.docker.stack.image',
  /** tscompose's own, on secrets and configs: the compose key and the digest of the content. */
  key: 'io.tscompose.stack.key',
  digest: 'io.tscompose.stack.digest',
} as const;

export const stackFilter = (stack: string) => ({ label: [`${StackLabel.namespace}=${stack}`] });

export const scoped = (stack: string, name: string) => `${stack}_${name}`;

export const serviceName = (stack: string, service: string) => scoped(stack, service);

/** The engine's name of a project network on the swarm: `name:`, the key when external, else scoped. */
export function stackNetworkName(project: Project, stack: string, key: string): string {
  const config = project.networks?.[key];
  if (config?.name) return config.name;
  return config?.external ? key : scoped(stack, key);
}

export function stackVolumeName(project: Project, stack: string, key: string): string {
  const config = project.volumes?.[key];
  if (config?.name) return config.name;
  return config?.external ? key : scoped(stack, key);
}

/** The image a service runs, as Compose names it: `image`, else `<project>-<service>` (what `build` tags). */
export function composeImage(project: Project, service: string): string {
  return project.services[service]?.image ?? `${project.name}-${service}`;
}

/**
 * The networks a service joins, as `[key, config]`: those it lists, else `default`; none with
 * network_mode (which Swarm cannot honour).
 */
export function serviceNetworkEntries(service: ServiceConfig) {
  if (service.network_mode) return [];
  const entries = Object.entries(service.networks ?? {});
  return entries.length
    ? entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : [['default', null] as const];
}
