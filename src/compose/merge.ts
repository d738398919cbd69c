import { PORT_KEY } from './canonical.js';
import { Tagged } from './parse-yaml.js';
import { isPlainMap, put, type PlainMap } from './path.js';

/**
 * Phase 5: Compose's merge rules, for `-f` files merged in order and for `extends`, over trees already
 * in long syntax (canonical.ts):
 * - maps merge key by key; a scalar on top replaces the base, a null on top keeps it;
 * - `x-*` keys, `command`, `entrypoint` and `healthcheck.test` are replaced whole;
 * - key/value maps (`environment`, `labels`, build `args`…) take the top value even when it is null;
 * - `logging` is replaced when the driver changes; `extra_hosts` is the union;
 * - sequences are appended, then made unique by their key: ports by address, volumes and mounts by
 *   target, `env_file` by path, string lists by value (the last one wins, in the first one's place);
 * - `!reset` removes a value, `!override` replaces it instead of merging.
 */

/** Path of a node relative to a service, e.g. `['build', 'args']`; services and top level differ. */
type RelPath = readonly string[];

const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test']);
/** Maps whose null values mean something (a variable taken from the environment). */
const NULLABLE_MAPS = new Set(['environment', 'build.args']);

const match = (rel: RelPath, pattern: string): boolean => {
  const parts = pattern.split('.');
  return parts.length === rel.length && parts.every((p, i) => p === '*' || p === rel[i]);
};

export interface MergeOptions {
  /** Keep `!reset` markers in the result (extends: the later file merge must still apply them). */
  keepResets?: boolean;
}

/** Merges the service `top` onto `base` (both canonical); neither input is modified. */
export function mergeService(base: unknown, top: unknown, options: MergeOptions = {}): unknown {
  const merged = mergeValue(base, top, [], options);
  return isPlainMap(merged) ? uniqueSequences(merged) : merged;
}

/** Merges a whole file (canonical) onto the model merged so far. */
export function mergeProject(base: PlainMap, top: PlainMap): PlainMap {
  const out: PlainMap = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const current = out[key];
    if (value instanceof Tagged) {
      applyTagged(out, key, value, current, {});
      continue;
    }
    if (key === 'services' && isPlainMap(value)) {
      const services: PlainMap = isPlainMap(current) ? { ...current } : {};
      for (const [name, service] of Object.entries(value)) {
        if (service instanceof Tagged) applyTagged(services, name, service, services[name], {});
        else if (Object.hasOwn(services, name)) put(services, name, mergeService(services[name], service));
        else put(services, name, mergeService(undefined, service));
      }
      put(out, key, services);
    } else if (['networks', 'volumes', 'secrets', 'configs'].includes(key) && isPlainMap(value)) {
      const resources: PlainMap = isPlainMap(current) ? { ...current } : {};
      for (const [name, resource] of Object.entries(value)) {
        if (resource instanceof Tagged) applyTagged(resources, name, resource, resources[name], {});
        else put(resources, name, mergeResource(resources[name], resource));
      }
      put(out, key, resources);
    } else if (value === null && current !== undefined) {
      continue;
    } else {
      put(out, key, key.startsWith('x-') ? value : mergeValue(current, value, ['x'], {}));
    }
  }
  return out;
}

function mergeResource(base: unknown, top: unknown): unknown {
  if (!isPlainMap(base) || !isPlainMap(top)) return top ?? base;
  const out: PlainMap = { ...base };
  for (const [k, v] of Object.entries(top)) {
    if (v instanceof Tagged) applyTagged(out, k, v, out[k], {});
    else if (v === null) continue;
    else if (k === 'ipam' && isPlainMap(out[k]) && isPlainMap(v))
      put(out, k, mergeIpam(out[k] as PlainMap, v));
    else if (isPlainMap(out[k]) && isPlainMap(v) && !k.startsWith('x-'))
      put(out, k, { ...(out[k] as PlainMap), ...(v as PlainMap) });
    else put(out, k, v);
  }
  return out;
}

function mergeIpam(base: PlainMap, top: PlainMap): PlainMap {
  const out: PlainMap = { ...base, ...(top as PlainMap) };
  if (Array.isArray(base.config) && Array.isArray(top.config)) {
    // configs are keyed by subnet
    const bySubnet = new Map<unknown, unknown>();
    for (const c of [...base.config, ...(top.config as unknown[])])
      bySubnet.set(isPlainMap(c) ? (c.subnet ?? bySubnet.size) : bySubnet.size, c);
    out.config = [...bySubnet.values()];
  }
  return out;
}

/**
 * A `!reset` / `!override` value: applied to what is below it, or kept as a marker when nothing is
 * below yet (a file's own model), so that the merge with the files before it still applies it.
 */
function applyTagged(out: PlainMap, key: string, value: Tagged, current: unknown, options: MergeOptions) {
  const merged = mergeValue(current, value, [], options);
  if (merged === undefined) delete out[key];
  else put(out, key, merged);
}

function mergeValue(base: unknown, top: unknown, rel: RelPath, options: MergeOptions): unknown {
  if (top instanceof Tagged) {
    if (base === undefined || base instanceof Tagged) return top;
    if (top.tag === 'reset') return options.keepResets ? top : undefined;
    return top.value;
  }
  if (base === undefined || base instanceof Tagged) return top;
  const joined = rel.join('.');
  if (REPLACED.has(joined) || (rel.length === 1 && rel[0]!.startsWith('x-'))) return top;
  if (top === null) return NULLABLE_MAPS.has(rel.slice(0, -1).join('.')) ? null : base;
  if (isPlainMap(base) && isPlainMap(top)) {
    if (
      joined === 'logging' &&
      base.driver !== undefined &&
      top.driver !== undefined &&
      base.driver !== top.driver
    )
      return top;
    if (match(rel, 'ulimits.*') || joined === 'build.ulimits.*') return { ...base, ...(top as PlainMap) };
    const out: PlainMap = { ...base };
    for (const [k, v] of Object.entries(top)) {
      const merged = mergeValue(out[k], v, [...rel, k], options);
      if (merged === undefined) delete out[k];
      else put(out, k, merged);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(top)) {
    // extra_hosts: the union of the lines (a line written twice the same way counts once)
    if (joined === 'extra_hosts' || joined === 'build.extra_hosts')
      return [...base, ...top.filter((line) => !base.includes(line))];
    return [...base, ...top];
  }
  return top;
}

/** Removes `!reset` values and unwraps `!override` ones (a file with nothing below it). */
export function strip(value: unknown): unknown {
  if (value instanceof Tagged) return value.tag === 'reset' ? undefined : strip(value.value);
  if (Array.isArray(value))
    return value.filter((v) => !(v instanceof Tagged && v.tag === 'reset')).map(strip);
  if (isPlainMap(value)) {
    const out: PlainMap = {};
    for (const [k, v] of Object.entries(value)) {
      const s = strip(v);
      if (s !== undefined) put(out, k, s);
    }
    // a port keeps the text it was written as: later merges are unique by it
    const portKey = (value as { [PORT_KEY]?: string })[PORT_KEY];
    if (portKey !== undefined) Object.defineProperty(out, PORT_KEY, { value: portKey, enumerable: false });
    return out;
  }
  return value;
}

type Indexer = (entry: unknown) => string;
const byString: Indexer = (e) => {
  const s = String(e);
  const eq = s.indexOf('=');
  return eq < 0 ? s : s.slice(0, eq);
};
const byField =
  (field: string, fallback?: (e: PlainMap) => string): Indexer =>
  (e) =>
    isPlainMap(e) ? String(e[field] ?? fallback?.(e) ?? '') : String(e);
const port: Indexer = (e) =>
  isPlainMap(e) && typeof (e as { [PORT_KEY]?: string })[PORT_KEY] === 'string'
    ? (e as { [PORT_KEY]?: string })[PORT_KEY]!
    : isPlainMap(e)
      ? `${String(e.host_ip ?? '')}:${String(e.published ?? '')}:${String(e.target)}/${String(e.protocol)}`
      : String(e);

const UNIQUE: [string, Indexer][] = [
  ['ports', port],
  ['volumes', byField('target')],
  ['devices', byField('target')],
  ['secrets', byField('target', (e) => `/run/secrets/${String(e.source)}`)],
  ['configs', byField('target', (e) => `/${String(e.source)}`)],
  ['env_file', byField('path')],
  ['expose', byString],
  ['cap_add', byString],
  ['cap_drop', byString],
  ['dns', byString],
  ['dns_opt', byString],
  ['dns_search', byString],
  ['links', byString],
  ['profiles', byString],
  ['tmpfs', byString],
  ['build.tags', byString],
  ['build.platforms', byString],
  ['networks.*.aliases', byString],
  ['networks.*.link_local_ips', byString],
];

/** Compose's "unicity": in each keyed sequence the last entry of a key wins, in the first one's place. */
export function uniqueSequences(service: PlainMap): PlainMap {
  const out: PlainMap = { ...service };
  for (const [pattern, indexer] of UNIQUE) {
    const parts = pattern.split('.');
    if (!Object.hasOwn(out, parts[0]!)) continue;
    visit(out, parts, (seq) => {
      const result: unknown[] = [];
      const seen = new Map<string, number>();
      for (const entry of seq) {
        const key = indexer(entry);
        const at = seen.get(key);
        if (at === undefined) {
          seen.set(key, result.length);
          result.push(entry);
        } else result[at] = entry;
      }
      return result;
    });
  }
  return out;
}

function visit(node: PlainMap, parts: string[], fn: (seq: unknown[]) => unknown[]): void {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  const keys = head === '*' ? Object.keys(node) : [head];
  for (const key of keys) {
    if (!Object.hasOwn(node, key)) continue;
    const value = node[key];
    if (rest.length === 0) {
      if (Array.isArray(value)) put(node, key, fn(value));
    } else if (isPlainMap(value)) {
      const copy = { ...value };
      visit(copy, rest, fn);
      put(node, key, copy);
    }
  }
}
