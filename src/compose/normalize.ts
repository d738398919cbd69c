import { isPlainMap, put, type PlainMap } from './path.js';

/**
 * Phase 6: the defaults and derived values Compose adds to a merged, canonical project:
 * - a service attached to no network (and without `network_mode`) joins `default`, which exists
 *   only when some service uses it;
 * - networks, volumes, secrets and configs get their engine name (`<project>_<key>`, or the key
 *   itself when external);
 * - build gets `context: .` and `dockerfile: Dockerfile`; build args without a value take it from
 *   the environment or are dropped; `environment` entries without a value take it from there;
 * - `links`, `network_mode: service:x` (and ipc/pid/uts/cgroup), `volumes_from` imply `depends_on`.
 */
export function normalizeProject(
  project: PlainMap,
  lookup: (name: string) => string | undefined,
  workingDir: string,
): PlainMap {
  const out: PlainMap = { ...project };
  const services: PlainMap = isPlainMap(out.services) ? { ...out.services } : {};
  const networks: PlainMap = isPlainMap(out.networks) ? { ...out.networks } : {};
  let usesDefault = false;
  for (const [name, raw] of Object.entries(services)) {
    const service: PlainMap = isPlainMap(raw) ? { ...raw } : {};
    if (service.network_mode === undefined) {
      if (!isPlainMap(service.networks) || Object.keys(service.networks).length === 0)
        service.networks = { default: null };
      if (Object.hasOwn(service.networks as PlainMap, 'default')) usesDefault = true;
    }
    if (isPlainMap(service.build)) {
      const build: PlainMap = { ...service.build };
      if (build.context === undefined) build.context = workingDir;
      if (build.dockerfile === undefined && build.dockerfile_inline === undefined)
        build.dockerfile = 'Dockerfile';
      if (isPlainMap(build.args)) {
        const args: PlainMap = {};
        for (const [k, v] of Object.entries(build.args)) {
          const value = v ?? lookup(k);
          if (value !== undefined && value !== null) put(args, k, value);
        }
        build.args = args;
      }
      service.build = build;
    }
    resolveEnvironment(service, lookup);
    const dependsOn: PlainMap = isPlainMap(service.depends_on) ? { ...service.depends_on } : {};
    const implied = (target: string, restart: boolean) => {
      if (!Object.hasOwn(dependsOn, target))
        put(dependsOn, target, { condition: 'service_started', restart, required: true });
    };
    if (Array.isArray(service.links))
      for (const link of service.links) implied(String(link).split(':')[0]!, true);
    for (const namespace of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
      const ref = service[namespace];
      if (typeof ref === 'string' && ref.startsWith('service:')) implied(ref.slice('service:'.length), true);
    }
    if (Array.isArray(service.volumes_from))
      for (const from of service.volumes_from) {
        const ref = String(from);
        if (!ref.startsWith('container:')) implied(ref.split(':')[0]!, false);
      }
    if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn;
    put(services, name, service);
  }
  out.services = services;
  if (usesDefault && !Object.hasOwn(networks, 'default')) networks.default = {};
  if (Object.keys(networks).length > 0) out.networks = networks;
  for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
    const resources = out[kind];
    if (!isPlainMap(resources)) continue;
    const named: PlainMap = {};
    for (const [key, raw] of Object.entries(resources)) {
      const resource: PlainMap = isPlainMap(raw) ? { ...raw } : {};
      if (resource.name === undefined || resource.name === null)
        resource.name = resource.external === true ? key : `${String(out.name)}_${key}`;
      if (kind === 'networks' && resource.ipam === undefined) resource.ipam = {};
      put(named, key, resource);
    }
    out[kind] = named;
  }
  return out;
}

/** `environment` entries without a value take it from the environment (or stay null). */
function resolveEnvironment(service: PlainMap, lookup: (name: string) => string | undefined): void {
  if (!isPlainMap(service.environment)) return;
  const env: PlainMap = {};
  for (const [k, v] of Object.entries(service.environment)) put(env, k, v ?? lookup(k) ?? null);
  service.environment = env;
}

/** The environment part of normalization alone (`--no-normalize` still resolves it). */
export function resolveEnvironmentValues(
  services: PlainMap,
  lookup: (name: string) => string | undefined,
): void {
  for (const [name, raw] of Object.entries(services)) {
    if (!isPlainMap(raw)) continue;
    const service: PlainMap = { ...raw };
    resolveEnvironment(service, lookup);
    put(services, name, service);
  }
}

/**
 * Compose keeps only the networks, volumes, secrets and configs that enabled services use
 * (`config` prints no others, and `up` creates no others).
 */
export function withoutUnusedResources(project: PlainMap): PlainMap {
  const used = {
    networks: new Set<string>(),
    volumes: new Set<string>(),
    secrets: new Set<string>(),
    configs: new Set<string>(),
  };
  const services = isPlainMap(project.services) ? project.services : {};
  for (const raw of Object.values(services)) {
    if (!isPlainMap(raw)) continue;
    if (isPlainMap(raw.networks)) for (const n of Object.keys(raw.networks)) used.networks.add(n);
    if (Array.isArray(raw.volumes))
      for (const v of raw.volumes)
        if (isPlainMap(v) && v.type === 'volume' && typeof v.source === 'string') used.volumes.add(v.source);
    for (const kind of ['secrets', 'configs'] as const)
      if (Array.isArray(raw[kind]))
        for (const r of raw[kind]) if (isPlainMap(r)) used[kind].add(String(r.source));
    if (isPlainMap(raw.build) && Array.isArray(raw.build.secrets))
      for (const r of raw.build.secrets) if (isPlainMap(r)) used.secrets.add(String(r.source));
  }
  const out: PlainMap = { ...project };
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    const resources = out[kind];
    if (!isPlainMap(resources)) continue;
    const kept: PlainMap = {};
    for (const [key, value] of Object.entries(resources)) if (used[kind].has(key)) put(kept, key, value);
    if (Object.keys(kept).length > 0) out[kind] = kept;
    else delete out[kind];
  }
  return out;
}
