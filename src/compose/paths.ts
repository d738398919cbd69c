import { isAbsolute, join, resolve } from 'node:path';
import { Tagged } from './parse-yaml.js';
import { isPlainMap, put, type PlainMap } from './path.js';

/**
 * Relative host paths → absolute, against the directory Compose uses for the file that wrote them:
 * the project directory for `-f` files, the other file's directory for `extends: {file}` and the
 * included project's directory for `include`. `~` is the user's home directory. Build contexts that
 * are URLs (git, http, `docker-image://`…) stay as written.
 */
export interface PathContext {
  baseDir: string;
  homeDir: string;
}

export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

export function absolutePath(path: string, ctx: PathContext): string {
  const expanded = expandHome(path, ctx.homeDir);
  return isAbsolute(expanded) ? expanded : resolve(ctx.baseDir, expanded);
}

/** A build context or additional context that is not a local directory. */
export function isRemoteContext(context: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(context) ||
    context.startsWith('git@') ||
    /^github\.com\//.test(context) ||
    context.startsWith('docker-image:') ||
    context.startsWith('service:') ||
    context.startsWith('oci-layout:')
  );
}

const unwrap = <T>(value: unknown, fn: (v: unknown) => T): unknown =>
  value instanceof Tagged ? new Tagged(value.tag, fn(value.value)) : fn(value);

/** One canonical service with its relative paths made absolute. */
export function resolveServicePaths(service: unknown, ctx: PathContext): unknown {
  return unwrap(service, (s) => {
    if (!isPlainMap(s)) return s;
    const out: PlainMap = { ...s };
    if (out.build !== undefined) out.build = unwrap(out.build, (b) => resolveBuild(b, ctx));
    if (out.volumes !== undefined)
      out.volumes = unwrap(out.volumes, (vs) =>
        Array.isArray(vs)
          ? vs.map((v) =>
              isPlainMap(v) &&
              v.type === 'bind' &&
              typeof v.source === 'string' &&
              !/^\\\\/.test(v.source) &&
              !/^[A-Za-z]:[\\/]/.test(v.source)
                ? { ...v, source: absolutePath(v.source, ctx) }
                : v,
            )
          : vs,
      );
    if (out.env_file !== undefined)
      out.env_file = unwrap(out.env_file, (files) =>
        Array.isArray(files)
          ? files.map((f) =>
              isPlainMap(f) && typeof f.path === 'string' ? { ...f, path: absolutePath(f.path, ctx) } : f,
            )
          : files,
      );
    if (out.label_file !== undefined)
      out.label_file = unwrap(out.label_file, (files) =>
        Array.isArray(files) ? files.map((f) => (typeof f === 'string' ? absolutePath(f, ctx) : f)) : files,
      );
    if (isPlainMap(out.develop) && Array.isArray(out.develop.watch))
      out.develop = {
        ...out.develop,
        watch: out.develop.watch.map((rule) =>
          isPlainMap(rule) && typeof rule.path === 'string'
            ? { ...rule, path: absolutePath(rule.path, ctx) }
            : rule,
        ),
      };
    if (isPlainMap(out.extends) && typeof out.extends.file === 'string')
      out.extends = { ...out.extends, file: absolutePath(out.extends.file, ctx) };
    return out;
  });
}

function resolveBuild(build: unknown, ctx: PathContext): unknown {
  if (!isPlainMap(build)) return build;
  const out: PlainMap = { ...build };
  // no context: normalize.ts gives the project directory, after the files are merged
  if (typeof out.context === 'string' && !isRemoteContext(out.context))
    out.context = absolutePath(out.context, ctx);
  if (isPlainMap(out.additional_contexts)) {
    const contexts: PlainMap = {};
    for (const [name, value] of Object.entries(out.additional_contexts))
      put(
        contexts,
        name,
        typeof value === 'string' && !isRemoteContext(value) ? absolutePath(value, ctx) : value,
      );
    out.additional_contexts = contexts;
  }
  return out;
}

/** A top-level secret or config with its `file` made absolute. */
export function resolveResourcePaths(resource: unknown, ctx: PathContext): unknown {
  return unwrap(resource, (r) =>
    isPlainMap(r) && typeof r.file === 'string' ? { ...r, file: absolutePath(r.file, ctx) } : r,
  );
}
