import type { ServiceSpec } from '../engine/swarm.js';

/**
 * Whether a service on the swarm already is what the compose file asks, and if not, why. The engine
 * stores a spec with ids where names were sent and a few defaults of its own, so both sides are
 * brought to one comparable form first: network ids become names, secret and config ids go,
 * defaults and empty values go. No label or state file is trusted: a service scaled or edited by
 * hand (`docker service update`) is seen as changed and brought back to the file.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values the engine fills in when nothing is sent, which mean the same as nothing. */
const engineDefaults: [path: string, value: Json][] = [
  ['TaskTemplate.Runtime', 'container'],
  ['TaskTemplate.ContainerSpec.Isolation', 'default'],
];

function isEmpty(value: Json | undefined): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Empty values removed at every depth (a zero, an empty list and nothing mean the same in a spec). */
function prune(value: Json): Json | undefined {
  if (Array.isArray(value)) {
    const items = value.map((v) => prune(v) ?? null);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = prune(value[key]!);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return isEmpty(value) ? undefined : value;
}

function objectAt(root: { [key: string]: Json }, path: string[]): { [key: string]: Json } | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? node : undefined;
}

/**
 * The spec in comparable form. `networkNames` maps network ids to names (the engine stores ids).
 * ForceUpdate is left out: it is a counter for forced redeploys, carried over on updates.
 */
export function comparableSpec(spec: ServiceSpec, networkNames: ReadonlyMap<string, string>): Json {
  const copy = JSON.parse(JSON.stringify(spec)) as { [key: string]: Json };
  for (const [path, value] of engineDefaults) {
    const parts = path.split('.');
    const parent = objectAt(copy, parts.slice(0, -1));
    const last = parts[parts.length - 1]!;
    if (parent && parent[last] === value) delete parent[last];
  }
  const template = objectAt(copy, ['TaskTemplate']);
  if (template) delete template.ForceUpdate;
  const networks = template?.Networks;
  if (Array.isArray(networks)) {
    for (const n of networks)
      if (n && typeof n === 'object' && !Array.isArray(n) && typeof n.Target === 'string')
        n.Target = networkNames.get(n.Target) ?? n.Target;
    networks.sort((a, b) => {
      const ta = JSON.stringify(a);
      const tb = JSON.stringify(b);
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
  }
  const container = objectAt(copy, ['TaskTemplate', 'ContainerSpec']);
  for (const [list, id] of [
    ['Secrets', 'SecretID'],
    ['Configs', 'ConfigID'],
  ] as const) {
    const refs = container?.[list];
    if (Array.isArray(refs))
      for (const ref of refs) if (ref && typeof ref === 'object' && !Array.isArray(ref)) delete ref[id];
  }
  return prune(copy) ?? {};
}

/** Dotted paths where two comparable specs differ; lists are compared whole. */
export function differences(a: Json | undefined, b: Json | undefined, path = ''): string[] {
  const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
    v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/** Spec paths in the compose file's words, longest prefix first. */
const terms: [prefix: string, term: string][] = [
  ['TaskTemplate.ContainerSpec.Image', 'image'],
  ['TaskTemplate.ContainerSpec.Labels', 'labels'],
  ['TaskTemplate.ContainerSpec.Command', 'entrypoint'],
  ['TaskTemplate.ContainerSpec.Args', 'command'],
  ['TaskTemplate.ContainerSpec.Hostname', 'hostname'],
  ['TaskTemplate.ContainerSpec.Env', 'environment'],
  ['TaskTemplate.ContainerSpec.Dir', 'working_dir'],
  ['TaskTemplate.ContainerSpec.User', 'user'],
  ['TaskTemplate.ContainerSpec.Groups', 'group_add'],
  ['TaskTemplate.ContainerSpec.TTY', 'tty'],
  ['TaskTemplate.ContainerSpec.OpenStdin', 'stdin_open'],
  ['TaskTemplate.ContainerSpec.ReadOnly', 'read_only'],
  ['TaskTemplate.ContainerSpec.Mounts', 'volumes'],
  ['TaskTemplate.ContainerSpec.StopSignal', 'stop_signal'],
  ['TaskTemplate.ContainerSpec.StopGracePeriod', 'stop_grace_period'],
  ['TaskTemplate.ContainerSpec.Healthcheck', 'healthcheck'],
  ['TaskTemplate.ContainerSpec.Hosts', 'extra_hosts'],
  ['TaskTemplate.ContainerSpec.DNSConfig', 'dns'],
  ['TaskTemplate.ContainerSpec.Secrets', 'secrets'],
  ['TaskTemplate.ContainerSpec.Configs', 'configs'],
  ['TaskTemplate.ContainerSpec.Init', 'init'],
  ['TaskTemplate.ContainerSpec.Sysctls', 'sysctls'],
  ['TaskTemplate.ContainerSpec.CapabilityAdd', 'cap_add'],
  ['TaskTemplate.ContainerSpec.CapabilityDrop', 'cap_drop'],
  ['TaskTemplate.ContainerSpec.Ulimits', 'ulimits'],
  ['TaskTemplate.ContainerSpec.Isolation', 'isolation'],
  ['TaskTemplate.ContainerSpec', 'container settings'],
  ['TaskTemplate.Resources', 'deploy.resources'],
  ['TaskTemplate.RestartPolicy', 'deploy.restart_policy'],
  ['TaskTemplate.Placement', 'deploy.placement'],
  ['TaskTemplate.Networks', 'networks'],
  ['TaskTemplate.LogDriver', 'logging'],
  ['Mode.Replicated.Replicas', 'deploy.replicas'],
  ['Mode', 'deploy.mode'],
  ['UpdateConfig', 'deploy.update_config'],
  ['RollbackConfig', 'deploy.rollback_config'],
  ['EndpointSpec.Mode', 'deploy.endpoint_mode'],
  ['EndpointSpec.Ports', 'ports'],
  ['Labels', 'deploy.labels'],
];

const termOf = (path: string) =>
  terms.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`))?.[1] ?? path;

function valueAt(root: Json | undefined, path: string): Json | undefined {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || node === undefined || typeof node !== 'object' || Array.isArray(node))
      return undefined;
    node = node[key];
  }
  return node;
}

const shortImage = (image: string) =>
  image.startsWith('sha256:') ? image.slice(7, 19) : image.replace(/@sha256:([0-9a-f]{12})[0-9a-f]*$/, '@$1');

function envMap(value: Json | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(value))
    for (const entry of value) {
      if (typeof entry !== 'string') continue;
      const at = entry.indexOf('=');
      out.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? '' : entry.slice(at + 1));
    }
  return out;
}

/** Mounted file → the secret or config behind it, and how it is mounted (mode and owner count too). */
function mountedNames(value: Json | undefined): Map<string, { name: string; mount: string }> {
  const out = new Map<string, { name: string; mount: string }>();
  if (Array.isArray(value))
    for (const ref of value) {
      if (!ref || typeof ref !== 'object' || Array.isArray(ref)) continue;
      const file = ref.File && typeof ref.File === 'object' && !Array.isArray(ref.File) ? ref.File : {};
      out.set(String(file.Name ?? ''), {
        name: String(ref.SecretName ?? ref.ConfigName),
        mount: JSON.stringify(file),
      });
    }
  return out;
}

/** `inception_db_password-1ec1c26b50` → `inception_db_password`: the content digest aside. */
const baseName = (name: string) => name.replace(/-[0-9a-f]{10}$/, '');

/** The replica counts when only they differ (a scale), else undefined. */
export function scaleOnly(desired: Json, observed: Json): { from: number; to: number } | undefined {
  const paths = differences(desired, observed);
  if (paths.length !== 1 || paths[0] !== 'Mode.Replicated.Replicas') return undefined;
  const count = (v: Json | undefined) => (typeof v === 'number' ? v : 0);
  return { from: count(valueAt(observed, paths[0])), to: count(valueAt(desired, paths[0])) };
}

/**
 * Why `observed` must become `desired`, in the compose file's words: `environment.WP_TITLE changed`,
 * `image changed (3f2a… → 9b1c…)`, `deploy.replicas 1 → 2`, `healthcheck changed`.
 */
export function describeDifferences(desired: Json, observed: Json): string[] {
  const reasons: string[] = [];
  const add = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  for (const path of differences(desired, observed)) {
    const term = termOf(path);
    const before = valueAt(observed, path);
    const after = valueAt(desired, path);
    if (term === 'environment') {
      const [b, a] = [envMap(before), envMap(after)];
      for (const name of [...new Set([...b.keys(), ...a.keys()])].sort()) {
        if (!a.has(name)) add(`environment.${name} removed`);
        else if (!b.has(name)) add(`environment.${name} added`);
        else if (a.get(name) !== b.get(name)) add(`environment.${name} changed`);
      }
      continue;
    }
    if ((term === 'secrets' || term === 'configs') && (Array.isArray(before) || Array.isArray(after))) {
      const [b, a] = [mountedNames(before), mountedNames(after)];
      for (const file of [...new Set([...b.keys(), ...a.keys()])].sort()) {
        const [was, now] = [b.get(file), a.get(file)];
        if (was === undefined) add(`${term}.${file} added`);
        else if (now === undefined) add(`${term}.${file} removed`);
        else if (was.mount !== now.mount || baseName(was.name) !== baseName(now.name))
          add(`${term}.${file} changed`);
        else if (was.name !== now.name) add(`${term}.${file} content changed`);
      }
      continue;
    }
    if (term === 'image' && typeof before === 'string' && typeof after === 'string') {
      add(`image changed (${shortImage(before)} → ${shortImage(after)})`);
      continue;
    }
    if (term === 'deploy.replicas') {
      add(`deploy.replicas ${JSON.stringify(before ?? 0)} → ${JSON.stringify(after ?? 0)}`);
      continue;
    }
    add(`${term} ${before === undefined ? 'added' : after === undefined ? 'removed' : 'changed'}`);
  }
  // one word per field: "healthcheck changed" once, not once per sub-field
  return reasons.filter(
    (r, i) => !reasons.slice(0, i).some((earlier) => earlier.split(' ')[0] === r.split(' ')[0]),
  );
}
