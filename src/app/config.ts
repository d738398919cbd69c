import { usageError } from '../core/errors.js';
import { loadProject, type LoaderIO, type LoadOptions, type LoadResult } from '../compose/load.js';
import { withSelectedServices } from '../compose/select.js';
import { serializeProject } from '../compose/serialize.js';

/** `config`: load the project and print it, or one facet of it, as Docker Compose does. */
export interface ConfigOptions {
  format: 'yaml' | 'json';
  /** Only validate; print nothing. */
  quiet?: boolean;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  profiles?: boolean;
  images?: boolean;
  variables?: boolean;
  environment?: boolean;
  /** `SERVICE[,SERVICE…]` or `*`: print each service's config hash. */
  hash?: string;
  /** Print only these services and their dependencies (`config SERVICE…`; the lists stay whole). */
  selected?: string[];
}

export interface ConfigOutput {
  text: string;
  warnings: string[];
}

/** Computes a service's config hash (reconcile's job; passed in so `config` stays engine-free). */
export type ServiceHasher = (result: LoadResult, service: string) => string;

/** Docker Compose's config hash, the one `up` stores as a container label (loaded only for --hash). */
async function composeHasher(): Promise<ServiceHasher> {
  const { serviceHash } = await import('./service-hash.js');
  return (result, name) => serviceHash(result.project.services[name]!);
}

export async function config(
  load: LoadOptions,
  io: LoaderIO,
  options: ConfigOptions,
  hasher?: ServiceHasher,
): Promise<ConfigOutput> {
  const result = await loadProject(load, io);
  if (options.hash !== undefined && !options.quiet) hasher ??= await composeHasher();
  return {
    text: options.quiet ? '' : renderConfig(result, options, load.interpolate ?? true, hasher),
    warnings: result.warnings,
  };
}

/** What `config --environment` prints for a variable that a secret reads (`secrets: {x: {environment: VAR}}`). */
export const HIDDEN = '(hidden: the value of a secret)';

/** The variables secrets take their value from, in any file of the project, used or not. */
function secretVariables(result: LoadResult): Set<string> {
  const names = new Set<string>();
  const visit = (secrets: unknown) => {
    if (secrets === null || typeof secrets !== 'object') return;
    for (const def of Object.values(secrets as Record<string, unknown>)) {
      const env =
        def !== null && typeof def === 'object' ? (def as { environment?: unknown }).environment : undefined;
      if (typeof env === 'string') names.add(env);
    }
  };
  visit(result.project.secrets);
  for (const file of result.files)
    for (const doc of file.documents)
      if (doc !== null && typeof doc === 'object') visit((doc as { secrets?: unknown }).secrets);
  return names;
}

const lines = (items: Iterable<string>) => {
  const list = [...items];
  return list.length ? `${list.join('\n')}\n` : '';
};

export function renderConfig(
  result: LoadResult,
  options: ConfigOptions,
  interpolated: boolean,
  hasher?: ServiceHasher,
): string {
  const { project } = result;
  const serviceNames = Object.keys(project.services).sort();
  if (options.services) return lines(serviceNames);
  if (options.volumes) return lines(Object.keys(project.volumes ?? {}).sort());
  if (options.networks) return lines(Object.keys(project.networks ?? {}).sort());
  if (options.profiles) {
    const all = new Set<string>();
    for (const s of [...Object.values(project.services), ...Object.values(project.disabled_services ?? {})])
      for (const p of s.profiles ?? []) all.add(p);
    return lines([...all].sort());
  }
  if (options.images)
    return lines(serviceNames.map((name) => project.services[name]!.image ?? `${project.name}-${name}`));
  if (options.environment) {
    const hidden = secretVariables(result);
    return lines(
      Object.keys(result.source.environment)
        .sort()
        .map((k) => `${k}=${hidden.has(k) ? HIDDEN : result.source.environment[k]}`),
    );
  }
  if (options.variables) {
    const rows = [['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE']];
    for (const v of result.variables)
      rows.push([v.name, String(v.required), v.defaultValue ?? '', v.alternateValue ?? '']);
    return lines(
      rows.map((row) =>
        row
          .map((cell, i) => (i < row.length - 1 ? cell.padEnd(Math.max(20, cell.length + 1)) : cell))
          .join('')
          .trimEnd(),
      ),
    );
  }
  if (options.hash !== undefined) {
    if (!hasher)
      throw usageError('--hash is not supported yet: the service config hash is not available in this build');
    const wanted = options.hash === '*' ? serviceNames : options.hash.split(',').map((s) => s.trim());
    for (const name of wanted)
      if (!serviceNames.includes(name))
        throw usageError(`no such service: ${name}`, `services: ${serviceNames.join(', ')}`);
    return lines(wanted.map((name) => `${name} ${hasher(result, name)}`));
  }
  const printed = options.selected?.length ? withSelectedServices(project, options.selected) : project;
  return serializeProject(printed, { format: options.format, escapeDollars: interpolated });
}
