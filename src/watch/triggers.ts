import { isAbsolute, join, resolve } from 'node:path';
import { TsComposeError } from '../core/errors.js';
import type { Project, ServiceHook, WatchRule } from '../compose/model.js';
import { isEphemeral, parseIgnoreFile, PatternSet, relativeTo } from './ignore.js';

/**
 * What the watch reacts to: each service's `develop.watch` rules and, with `--build-context`, the
 * build context of services that have `build:` but no `develop` section. A trigger is a path with
 * an action and the filters that apply to it (its `ignore` and `include`, the build context's
 * .dockerignore, editors' temporary files).
 */
export interface WatchTrigger {
  service: string;
  /** Dotted path of what defined it: `services.web.develop.watch[0]`, `services.web.build.context`. */
  origin: string;
  source: 'rule' | 'build-context';
  action: WatchRule['action'];
  /** Absolute host path (a folder or a file). */
  path: string;
  /** Absolute container path (sync actions). */
  target?: string;
  exec?: ServiceHook;
  initialSync: boolean;
  /** A path matched by any of these is ignored. */
  ignore: PatternSet[];
  /** When set, only paths it matches count. */
  include?: PatternSet;
  /** Paths never ignored: the Dockerfile and its ignore file (the builder always reads them). */
  alwaysKept: string[];
}

/** A build context's ignore file, read before the triggers are made (see readBuildIgnores). */
export interface BuildIgnore {
  contextDir: string;
  dockerfile: string;
  /** The ignore file that applies (`<Dockerfile>.dockerignore`, else `.dockerignore`), read or not. */
  file: string;
  patterns: string[];
}

export interface TriggerOptions {
  /** Services named on the command line (default: all). */
  services?: string[];
  /** Rebuild services with `build:` and no `develop` section when their build context changes. */
  buildContext?: boolean;
}

export interface WatchSetup {
  triggers: WatchTrigger[];
  /** Services that have something to watch, sorted. */
  services: string[];
  warnings: string[];
}

const hasRules = (project: Project, service: string) =>
  (project.services[service]?.develop?.watch?.length ?? 0) > 0;

/** The Dockerfile of a service's build, absolute; undefined without build or with dockerfile_inline. */
function dockerfileOf(project: Project, service: string): string | undefined {
  const build = project.services[service]?.build;
  if (!build || build.dockerfile_inline !== undefined) return undefined;
  const file = build.dockerfile ?? 'Dockerfile';
  return isAbsolute(file) ? file : resolve(build.context, file);
}

/**
 * Reads the ignore files of the build contexts the watch needs: `<Dockerfile>.dockerignore` beside
 * the Dockerfile when there is one, else `.dockerignore` at the context's root (as the builder does).
 * `readFile` resolves undefined for a missing file.
 */
export async function readBuildIgnores(
  project: Project,
  options: TriggerOptions,
  readFile: (path: string) => Promise<string | undefined>,
): Promise<Map<string, BuildIgnore>> {
  const out = new Map<string, BuildIgnore>();
  for (const service of selected(project, options.services)) {
    const build = project.services[service]?.build;
    if (!build || (!hasRules(project, service) && !options.buildContext)) continue;
    const dockerfile = dockerfileOf(project, service) ?? join(build.context, 'Dockerfile');
    const specific = `${dockerfile}.dockerignore`;
    const specificText = dockerfileOf(project, service) ? await readFile(specific) : undefined;
    const file = specificText !== undefined ? specific : join(build.context, '.dockerignore');
    const text = specificText ?? (await readFile(file));
    out.set(service, {
      contextDir: build.context,
      dockerfile,
      file,
      patterns: text === undefined ? [] : parseIgnoreFile(text),
    });
  }
  return out;
}

function selected(project: Project, services: string[] | undefined): string[] {
  const all = Object.keys(project.services).sort();
  if (!services?.length) return all;
  for (const s of services)
    if (!project.services[s])
      throw new TsComposeError(`no such service: ${s}`, {
        code: 'compose.unknown-service',
        exitCode: 15,
        hint: `the project's services are: ${all.join(', ')}`,
      });
  return [...new Set(services)].sort();
}

const ruleError = (message: string, path: string, hint: string) =>
  new TsComposeError(message, { code: 'watch.invalid-rule', exitCode: 15, location: { path }, hint });

/** The triggers of the selected services (pure: ignore files are read beforehand). */
export function watchTriggers(
  project: Project,
  options: TriggerOptions,
  ignores: ReadonlyMap<string, BuildIgnore>,
): WatchSetup {
  const triggers: WatchTrigger[] = [];
  const warnings: string[] = [];
  const services = new Set<string>();
  const named = new Set(options.services ?? []);
  for (const service of selected(project, options.services)) {
    const config = project.services[service]!;
    const buildIgnore = ignores.get(service);
    const contextIgnore = buildIgnore ? [new PatternSet(buildIgnore.contextDir, buildIgnore.patterns)] : [];
    const alwaysKept = buildIgnore ? [buildIgnore.dockerfile, buildIgnore.file] : [];
    const rules = config.develop?.watch ?? [];
    rules.forEach((rule, i) => {
      const origin = `services.${service}.develop.watch[${i}]`;
      const syncs = rule.action === 'sync' || rule.action === 'sync+restart' || rule.action === 'sync+exec';
      if (syncs && !rule.target)
        throw ruleError(
          `the ${rule.action} rule of service "${service}" has no target`,
          `${origin}.target`,
          'say where the files go in the container, e.g. target: /app',
        );
      if (syncs && rule.target && !rule.target.startsWith('/'))
        throw ruleError(
          `the target "${rule.target}" of service "${service}" is not an absolute container path`,
          `${origin}.target`,
          `write it from the container's root, e.g. /app/${rule.target.replace(/^\.?\/*/, '')}`,
        );
      if (rule.action === 'sync+exec' && !rule.exec?.command?.length)
        throw ruleError(
          `the sync+exec rule of service "${service}" has no exec command`,
          `${origin}.exec`,
          'add exec: { command: [...] }, or use action: sync',
        );
      if (rule.action === 'rebuild' && !config.build)
        throw ruleError(
          `service "${service}" has a rebuild rule but no build section`,
          `${origin}.action`,
          'add build: to the service, or use a sync or restart action',
        );
      const trigger: WatchTrigger = {
        service,
        origin,
        source: 'rule',
        action: rule.action,
        path: rule.path.replace(/(.)\/+$/, '$1'),
        initialSync: rule.initial_sync === true,
        ignore: [...contextIgnore, ...(rule.ignore?.length ? [new PatternSet(rule.path, rule.ignore)] : [])],
        alwaysKept: rule.action === 'rebuild' ? alwaysKept : [],
      };
      if (rule.target) trigger.target = rule.target.replace(/(.)\/+$/, '$1');
      if (rule.exec) trigger.exec = rule.exec;
      if (rule.include?.length) trigger.include = new PatternSet(rule.path, rule.include);
      triggers.push(trigger);
      services.add(service);
    });
    if (rules.length === 0 && options.buildContext && config.build && buildIgnore) {
      triggers.push({
        service,
        origin: `services.${service}.build.context`,
        source: 'build-context',
        action: 'rebuild',
        path: config.build.context.replace(/(.)\/+$/, '$1'),
        initialSync: false,
        ignore: contextIgnore,
        alwaysKept,
      });
      services.add(service);
    } else if (rules.length === 0 && named.has(service))
      warnings.push(
        config.build
          ? `service "${service}" has no develop.watch rules: nothing to watch (--build-context rebuilds it when its build context changes)`
          : `service "${service}" has no develop.watch rules and no build: nothing to watch`,
      );
  }
  if (triggers.length === 0)
    throw new TsComposeError('none of the selected services is configured for watch', {
      code: 'watch.nothing-to-watch',
      hint: options.buildContext
        ? 'add a develop.watch section to a service (https://docs.docker.com/compose/how-tos/file-watch/), or give one a build: section'
        : 'add a develop.watch section to a service, or use --build-context to rebuild services with build: when their sources change',
    });
  return { triggers, services: [...services].sort(), warnings };
}

/** Whether a change of `path` counts for the trigger: below its path, not ignored, included. */
export function triggerAccepts(trigger: WatchTrigger, path: string): boolean {
  const rel = relativeTo(trigger.path, path);
  if (rel === undefined) return false;
  if (trigger.alwaysKept.includes(path)) return true;
  if (isEphemeral(rel)) return false;
  if (trigger.ignore.some((set) => set.matches(path))) return false;
  if (trigger.include && rel !== '' && !trigger.include.matches(path)) return false;
  return true;
}

/**
 * Whether the file watcher may skip a path and everything below it: no trigger and no config
 * file needs it. Folders that only some `!` exception could bring back are kept.
 */
export function canSkip(
  triggers: readonly WatchTrigger[],
  alsoWatched: readonly string[],
  path: string,
): boolean {
  for (const file of alsoWatched) if (file === path || relativeTo(path, file) !== undefined) return false;
  for (const trigger of triggers) {
    if (relativeTo(path, trigger.path) !== undefined) return false; // an ancestor of the trigger (or it)
    const rel = relativeTo(trigger.path, path);
    if (rel === undefined) continue;
    if (trigger.alwaysKept.some((kept) => kept === path || relativeTo(path, kept) !== undefined))
      return false;
    if (isEphemeral(rel)) continue;
    const ignoredBy = trigger.ignore.filter((set) => set.matches(path));
    if (ignoredBy.length === 0 || ignoredBy.some((set) => set.hasExceptions)) return false;
  }
  return true;
}
