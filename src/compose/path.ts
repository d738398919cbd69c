/** A place in the compose tree: map keys and sequence indexes, e.g. `['services', 'web', 'ports', 0]`. */
export type Path = readonly (string | number)[];

/** `services.web.ports[0]`, the way every error names a place in the model. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

export type PlainMap = Record<string, unknown>;

export function isPlainMap(value: unknown): value is PlainMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets a key even when it is `__proto__`, so that no input can reach an object's prototype. */
export function put(target: PlainMap, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A path under construction during a walk: extending it costs O(1), and it becomes a Path only
 * when something goes wrong (`toPath`).
 */
export type Trail = { readonly parent: Trail; readonly segment: string | number } | null;

export const extend = (trail: Trail, segment: string | number): Trail => ({ parent: trail, segment });

export function toPath(trail: Trail): Path {
  const out: (string | number)[] = [];
  for (let t = trail; t; t = t.parent) out.push(t.segment);
  return out.reverse();
}

export function trailOf(path: Path): Trail {
  let trail: Trail = null;
  for (const segment of path) trail = extend(trail, segment);
  return trail;
}
