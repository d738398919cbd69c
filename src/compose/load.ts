import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { TsComposeError } from '../core/errors.js';
import { projectError, type SourceLocation } from '../core/errors.js';
import { canonicalResource, canonicalService, hostsMap, type CanonicalContext } from './canonical.js';
import { checkConsistency } from './consistency.js';
import { DotenvError, parseDotenv } from './dotenv.js';
import {
  extractVariables,
  InterpolationError,
  interpolateTree,
  substitute,
  TemplateError,
  type Lookup,
  type VariableUse,
} from './interpolate.js';
import { PathIssue } from './issue.js';
import { mergeProject, mergeService, strip } from './merge.js';
import type { Project, ProjectSource } from './model.js';
import { normalizeProject, resolveEnvironmentValues, withoutUnusedResources } from './normalize.js';
import { parseYaml, Tagged, type ParsedYaml } from './parse-yaml.js';
import { formatPath, isPlainMap, put, type Path, type PlainMap } from './path.js';
import { absolutePath, resolveResourcePaths, resolveServicePaths } from './paths.js';
import { projectSchema } from './schema.js';
import { validateTree } from './validate.js';

/** The world the loader may touch, injected (nothing here reads `process`). */
export interface LoaderIO {
  env: Readonly<Record<string, string | undefined>>;
  /** Absolute directory relative paths on the command line start from. */
  cwd: string;
  homedir: string;
  readFile(path: string): Promise<string>;
  /** The whole of stdin, for `-f -`. */
  readStdin(): Promise<string>;
  /** What is at `path`, following symlinks, or undefined when nothing is. */
  stat(path: string): Promise<'file' | 'directory' | 'other' | undefined>;
}

export interface LoadOptions {
  /** `-f` files in order (`-` is stdin), relative to `cwd`; empty: look for compose.yaml & co. */
  files?: string[];
  /** `-p` or COMPOSE_PROJECT_NAME: validated, never normalized. */
  projectName?: string;
  projectDirectory?: string;
  /** Enabled profiles (`*` enables all); undefined: COMPOSE_PROFILES of the shell or the env files. */
  profiles?: string[];
  /** `--env-file` files, relative to `cwd`; empty: the project directory's `.env` when present. */
  envFiles?: string[];
  /** Substitute `${VAR}` (default true). */
  interpolate?: boolean;
  /** Add Compose's defaults and derived values, check references (default true). */
  normalize?: boolean;
  /** Make relative host paths absolute (default true). */
  resolvePaths?: boolean;
}

export interface LoadResult {
  /** Deep-frozen. */
  project: Project;
  source: ProjectSource;
  /** What Compose would warn about (obsolete `version`, unset variables…), one sentence each. */
  warnings: string[];
  /** The variables the files use, sorted by name (`config --variables`). */
  variables: VariableUse[];
  /** Every YAML file read (compose files, includes, extends), as written: before interpolation. */
  files: LoadedFile[];
  /**
   * Where the value (or with `key`, the key) at a dotted path of the model was written: the file
   * that wrote most of the path (later files win ties, as they win merges), or undefined.
   */
  locate(path: Path, key?: boolean): FilePosition | undefined;
}

export interface LoadedFile {
  /** Absolute path, or `-` for stdin. */
  path: string;
  /** One plain value per YAML document, before interpolation (`!reset` values stay Tagged). */
  documents: readonly unknown[];
  /** Where the value (or with `key`, the key) at `path` of these documents was written. */
  locate(path: Path, key?: boolean): { line: number; column: number } | undefined;
}

export interface FilePosition {
  /** Absolute path, or `-` for stdin. */
  file: string;
  line: number;
  column: number;
}

export const DEFAULT_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
];
export const DEFAULT_OVERRIDE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];
const STDIN = '-';
/** Services extending services extending…: far more than any real file, few enough for the stack. */
const MAX_EXTENDS_DEPTH = 64;

/** Files + environment → one validated, normalized, read-only Project (DESIGN.md, compose/). */
export async function loadProject(options: LoadOptions, io: LoaderIO): Promise<LoadResult> {
  return new Loader(options, io).load();
}

interface FileContext {
  baseDir: string;
  lookup: Lookup;
  /** Main files of the includes being loaded, to refuse include cycles. */
  includeStack: string[];
}

class Loader {
  private readonly warnings: string[] = [];
  private readonly unset = new Set<string>();
  /** Every YAML file read, by absolute path (or `-`), to turn a dotted path into file:line:col. */
  private readonly parsed = new Map<string, ParsedYaml>();
  private readonly extendsFiles = new Map<string, Promise<PlainMap>>();
  private readonly interpolate: boolean;
  private readonly resolvePaths: boolean;
  private readonly canonicalContext: CanonicalContext;

  constructor(
    private readonly options: LoadOptions,
    private readonly io: LoaderIO,
  ) {
    this.interpolate = options.interpolate ?? true;
    this.resolvePaths = options.resolvePaths ?? true;
    this.canonicalContext = { warn: (m) => this.warn(m), templates: !this.interpolate };
  }

  private warn(message: string) {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  async load(): Promise<LoadResult> {
    const { io, options } = this;
    const projectDirectory = options.projectDirectory ? resolve(io.cwd, options.projectDirectory) : undefined;
    const shell: Record<string, string> = {};
    for (const [k, v] of Object.entries(io.env)) if (v !== undefined) put(shell, k, v);
    const shellLookup: Lookup = (k) => (Object.hasOwn(shell, k) ? shell[k] : undefined);
    const files = await this.configFiles(projectDirectory, shellLookup);
    const workingDir =
      projectDirectory ?? (files[0] === STDIN || files[0] === undefined ? io.cwd : dirname(files[0]));

    // the environment: the shell over the env files (--env-file, else the project's .env)
    const envFiles = await this.envFiles(workingDir);
    const fromFiles = await this.readEnvFiles(envFiles, shellLookup);
    const environment: Record<string, string> = { ...fromFiles, ...shell };

    for (const file of files) await this.parseFile(file);

    const name = await this.projectName(files, workingDir, environment);
    // ${COMPOSE_PROJECT_NAME} is the project's name, whichever way it was given (-p wins over .env)
    environment.COMPOSE_PROJECT_NAME = name;
    const lookup: Lookup = (k) => (Object.hasOwn(environment, k) ? environment[k] : undefined);

    let model: PlainMap = {};
    for (const file of files) {
      const tree = await this.fileModel(file, { baseDir: workingDir, lookup, includeStack: [file] });
      model = mergeProject(model, tree);
    }
    model = strip(model) as PlainMap;
    for (const variable of this.unset)
      this.warn(`The "${variable}" variable is not set. Defaulting to a blank string.`);

    put(model, 'name', name);
    if (!isPlainMap(model.services)) model.services = {};
    for (const service of Object.values(model.services as PlainMap)) {
      if (!isPlainMap(service)) continue;
      if (Array.isArray(service.extra_hosts)) service.extra_hosts = hostsMap(service.extra_hosts);
      if (isPlainMap(service.build) && Array.isArray(service.build.extra_hosts))
        service.build = { ...service.build, extra_hosts: hostsMap(service.build.extra_hosts) };
    }

    // profiles: services whose profiles are all disabled leave the model
    const profiles =
      options.profiles ??
      (environment.COMPOSE_PROFILES ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    const enabled = (service: unknown) => {
      const wanted =
        isPlainMap(service) && Array.isArray(service.profiles) ? (service.profiles as string[]) : [];
      return wanted.length === 0 || profiles.includes('*') || wanted.some((p) => profiles.includes(p));
    };
    const services: PlainMap = {};
    const disabled: PlainMap = {};
    for (const [key, service] of Object.entries(model.services as PlainMap))
      put(enabled(service) ? services : disabled, key, service);
    model.services = services;

    // --no-normalize leaves out Compose's defaults (default network, names, implied depends_on);
    // environments are still resolved and unused resources dropped, as Compose does
    const normalize = options.normalize ?? true;
    if (normalize) model = normalizeProject(model, lookup, this.resolvePaths ? workingDir : '.');
    else resolveEnvironmentValues(model.services as PlainMap, lookup);
    await this.resolveServiceEnvironments(model.services as PlainMap, lookup);
    // without interpolation, references may still be templates: Compose does not check them either
    if (normalize && this.interpolate)
      this.guard(() => checkConsistency(model, new Set(Object.keys(disabled))));
    model = withoutUnusedResources(model);
    for (const [key, service] of Object.entries(model.services as PlainMap))
      if (isPlainMap(service)) put(service, 'name', key);
    if (Object.keys(disabled).length > 0) model.disabled_services = disabled;
    delete model.version;

    const source: ProjectSource = {
      configFiles: files,
      envFiles,
      workingDir,
      environment: Object.freeze({ ...environment }),
      profiles: [...profiles],
    };
    const parsedFiles = [...this.parsed.values()];
    let variables: VariableUse[] | undefined;
    return {
      project: deepFreeze(model) as unknown as Project,
      source,
      warnings: this.warnings,
      // only `config --variables` wants them: found on first use
      get variables() {
        if (!variables) {
          const found = new Map<string, VariableUse>();
          for (const parsed of parsedFiles) for (const doc of parsed.documents) extractVariables(doc, found);
          variables = [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
        }
        return variables;
      },
      files: [...this.parsed].map(([path, parsed]) => ({
        path,
        documents: parsed.documents,
        locate: (at, key) => {
          const pos = parsed.locate(at, key);
          return pos && pos.matched === at.length ? { line: pos.line, column: pos.column } : undefined;
        },
      })),
      locate: (path, key = false) => {
        const file = this.fileWriting(path, key);
        const pos = file === undefined ? undefined : this.parsed.get(file)?.locate(path, key);
        return file === undefined || !pos ? undefined : { file, line: pos.line, column: pos.column };
      },
    };
  }

  /** `-f` files, or compose.yaml & co. in the project directory or the nearest parent that has one. */
  private async configFiles(projectDirectory: string | undefined, shell: Lookup): Promise<string[]> {
    const { io, options } = this;
    let named = options.files ?? [];
    if (named.length === 0) {
      // COMPOSE_FILE may also come from the .env of the current (or project) directory
      const env = await this.readEnvFiles(await this.envFiles(projectDirectory ?? io.cwd), shell);
      const list = shell('COMPOSE_FILE') ?? env.COMPOSE_FILE;
      const separator = shell('COMPOSE_PATH_SEPARATOR') ?? env.COMPOSE_PATH_SEPARATOR ?? ':';
      if (list) named = list.split(separator || ':').filter(Boolean);
    }
    if (named.length > 0) {
      const files: string[] = [];
      for (const f of named) {
        if (f === STDIN) {
          files.push(STDIN);
          continue;
        }
        const path = resolve(io.cwd, f);
        const kind = await io.stat(path);
        if (kind !== 'file')
          throw projectError(
            kind === undefined ? `compose file not found: ${f}` : `compose file is not a regular file: ${f}`,
            'compose.file-not-found',
            { file: f },
            'check the -f option or COMPOSE_FILE',
          );
        files.push(path);
      }
      return files;
    }
    let dir = projectDirectory ?? io.cwd;
    for (;;) {
      const found: string[] = [];
      for (const name of DEFAULT_FILE_NAMES)
        if ((await io.stat(join(dir, name))) === 'file') found.push(join(dir, name));
      if (found.length > 0) {
        if (found.length > 1)
          this.warn(
            `Found multiple config files with supported names: ${found.join(', ')}; using ${found[0]}`,
          );
        const files = [found[0]!];
        for (const name of DEFAULT_OVERRIDE_NAMES)
          if ((await io.stat(join(dir, name))) === 'file') {
            files.push(join(dir, name));
            break;
          }
        return files;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    throw projectError(
      'no configuration file provided: not found',
      'compose.no-file',
      undefined,
      `create a compose.yaml in ${projectDirectory ?? io.cwd} (or a parent directory), or name one with -f`,
    );
  }

  private async envFiles(workingDir: string): Promise<string[]> {
    const { io, options } = this;
    if (options.envFiles && options.envFiles.length > 0) {
      const files: string[] = [];
      for (const f of options.envFiles) {
        const path = resolve(io.cwd, f);
        if ((await io.stat(path)) !== 'file')
          throw projectError(
            `env file not found: ${f}`,
            'compose.env-file-not-found',
            { file: f },
            'check --env-file or COMPOSE_ENV_FILES',
          );
        files.push(path);
      }
      return files;
    }
    const dotenv = join(workingDir, '.env');
    return (await io.stat(dotenv)) === 'file' ? [dotenv] : [];
  }

  /** Env files in order; each one's interpolation sees `first` (the shell), then earlier files. */
  private async readEnvFiles(files: string[], first: Lookup): Promise<Record<string, string>> {
    const vars: Record<string, string> = {};
    for (const file of files) {
      const parsed = await this.readDotenv(
        file,
        (k) => first(k) ?? (Object.hasOwn(vars, k) ? vars[k] : undefined),
      );
      for (const [k, v] of parsed) put(vars, k, v);
    }
    return vars;
  }

  private async readDotenv(file: string, lookup: Lookup): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await this.io.readFile(file);
    } catch (error) {
      const missing = (await this.io.stat(file)) === undefined;
      throw projectError(
        missing
          ? `env file ${this.display(file)} not found`
          : `cannot read env file ${this.display(file)}: ${(error as Error).message}`,
        missing ? 'compose.env-file-not-found' : 'compose.file-unreadable',
        { file: this.display(file) },
        missing ? 'create it, or remove it from env_file' : undefined,
      );
    }
    try {
      return parseDotenv(text, lookup);
    } catch (error) {
      if (error instanceof DotenvError)
        throw projectError(error.message, 'compose.env-file-syntax', {
          file: this.display(file),
          line: error.line,
        });
      throw error;
    }
  }

  private display(file: string): string {
    if (file === STDIN) return '(stdin)';
    const rel = relative(this.io.cwd, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  }

  private async parseFile(file: string): Promise<ParsedYaml> {
    const known = this.parsed.get(file);
    if (known) return known;
    let text: string;
    try {
      text = file === STDIN ? await this.io.readStdin() : await this.io.readFile(file);
    } catch (error) {
      throw projectError(
        `cannot read ${this.display(file)}: ${(error as Error).message}`,
        'compose.file-unreadable',
        {
          file: this.display(file),
        },
      );
    }
    const parsed = this.guardFile(file, () => parseYaml(text, this.display(file)));
    this.parsed.set(file, parsed);
    return parsed;
  }

  /** `-p` / COMPOSE_PROJECT_NAME as given, else the files' `name:` or the directory, normalized. */
  private async projectName(
    files: string[],
    workingDir: string,
    environment: Record<string, string>,
  ): Promise<string> {
    let name = this.options.projectName || environment.COMPOSE_PROJECT_NAME || '';
    let origin = this.options.projectName ? 'the -p option' : 'COMPOSE_PROJECT_NAME';
    let location: SourceLocation | undefined;
    if (!name) {
      let fromFile: string | undefined;
      let fromFileRaw: unknown;
      for (const file of files)
        for (const doc of this.parsed.get(file)!.documents)
          if (isPlainMap(doc) && doc.name !== undefined && doc.name !== null && doc.name !== '') {
            fromFileRaw = doc.name;
            fromFile = file;
          }
      if (fromFile !== undefined) {
        let text = String(fromFileRaw);
        if (this.interpolate)
          text = this.guardFile(fromFile, () => {
            try {
              return substitute(text, (k) => environment[k]);
            } catch (error) {
              if (error instanceof TemplateError) throw new InterpolationError(error, ['name']);
              throw error;
            }
          });
        name = normalizeProjectName(text);
        origin = `the "name:" of ${this.display(fromFile)}`;
        const pos = this.parsed.get(fromFile)?.locate(['name']);
        location = { file: this.display(fromFile), line: pos?.line, column: pos?.column, path: 'name' };
      }
      if (!name) {
        name = normalizeProjectName(basename(workingDir));
        origin = `the directory name "${basename(workingDir)}"`;
      }
    }
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
      throw projectError(
        `"${name}" is not a valid project name (from ${origin}): it must contain only characters from [a-z0-9_-] and start with [a-z0-9]`,
        'compose.invalid-project-name',
        location,
        name
          ? `try "${normalizeProjectName(name) || 'myproject'}"`
          : 'set one with -p NAME or a top-level "name:"',
      );
    return name;
  }

  /** One file (and everything it includes) interpolated, validated, canonical, extends applied. */
  private async fileModel(file: string, ctx: FileContext): Promise<PlainMap> {
    const parsed = await this.parseFile(file);
    let model: PlainMap = {};
    for (const doc of parsed.documents) {
      const tree = await this.fileTree(file, doc, ctx);
      if (tree.version !== undefined) {
        this.warn(
          `${this.display(file)}: the attribute "version" is obsolete and ignored; remove it to avoid confusion`,
        );
        delete tree.version;
      }
      await this.applyExtends(file, tree, ctx, []);
      await this.applyInclude(file, tree, ctx);
      model = mergeProject(model, tree);
    }
    return model;
  }

  /** Phases 2–4 on one YAML document: interpolation, validation, long syntax, absolute paths. */
  private async fileTree(file: string, doc: unknown, ctx: FileContext): Promise<PlainMap> {
    return this.guardFile(file, () => {
      if (doc !== null && !isPlainMap(doc))
        throw new PathIssue(
          'a compose file must be a map of top-level keys (services:, networks:…)',
          'compose.invalid-type',
          [],
        );
      let tree: unknown = doc ?? {};
      if (this.interpolate) tree = interpolateTree(tree, ctx.lookup, this.unset);
      tree = validateTree(tree, projectSchema, [], {
        warn: (m) => this.warn(m),
        templates: !this.interpolate,
      });
      const out = tree as PlainMap;
      const paths = { baseDir: ctx.baseDir, homeDir: this.io.homedir };
      if (isPlainMap(out.services)) {
        const services: PlainMap = {};
        for (const [name, service] of Object.entries(out.services)) {
          let s = canonicalService(service ?? {}, ['services', name], this.canonicalContext);
          if (this.resolvePaths) s = resolveServicePaths(s, paths);
          else s = resolveExtendsFile(s, paths.baseDir, this.io.homedir);
          put(services, name, s);
        }
        out.services = services;
      } else if (out.services === null) delete out.services;
      for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
        const resources = out[kind];
        if (resources === null) {
          delete out[kind];
          continue;
        }
        if (!isPlainMap(resources)) continue;
        const converted: PlainMap = {};
        for (const [name, resource] of Object.entries(resources)) {
          let r = canonicalResource(kind, resource);
          if (this.resolvePaths && (kind === 'secrets' || kind === 'configs'))
            r = resolveResourcePaths(r, paths);
          put(converted, name, r);
        }
        out[kind] = converted;
      }
      return out;
    });
  }

  /** `extends:` in the services of one file, from the same file or another one, recursively. */
  private async applyExtends(file: string, tree: PlainMap, ctx: FileContext, stack: string[]): Promise<void> {
    if (!isPlainMap(tree.services)) return;
    const services = tree.services;
    const resolved = new Map<string, Promise<unknown>>();
    const resolveOne = (name: string, chain: string[]): Promise<unknown> => {
      const known = resolved.get(name);
      if (known) return known;
      const promise = this.extendService(file, services, name, ctx, [...stack, ...chain], resolveOne);
      resolved.set(name, promise);
      return promise;
    };
    for (const name of Object.keys(services)) put(services, name, await resolveOne(name, []));
  }

  private async extendService(
    file: string,
    services: PlainMap,
    name: string,
    ctx: FileContext,
    chain: string[],
    sameFile: (name: string, chain: string[]) => Promise<unknown>,
  ): Promise<unknown> {
    const raw = services[name];
    const service = raw instanceof Tagged ? raw.value : raw;
    if (!isPlainMap(service) || service.extends === undefined) return raw;
    const ext = service.extends;
    const ref = typeof ext === 'string' ? ext : String((ext as PlainMap).service);
    const otherFile = isPlainMap(ext) && typeof ext.file === 'string' ? ext.file : undefined;
    const here = `${file}#${name}`;
    const chainHere = [...chain, here];
    const target = `${otherFile ?? file}#${ref}`;
    if (chainHere.length > MAX_EXTENDS_DEPTH)
      throw this.locatedError(
        new PathIssue(
          `"extends" goes more than ${MAX_EXTENDS_DEPTH} services deep (the limit) at service "${name}"`,
          'compose.extends-too-deep',
          ['services', name, 'extends'],
          'extend a service that holds the shared settings directly',
        ),
        file,
      );
    if (chainHere.includes(target))
      throw this.locatedError(
        new PathIssue(
          `circular "extends": ${[...chainHere, target].map((c) => c.split('#')[1]).join(' -> ')}`,
          'compose.extends-cycle',
          ['services', name, 'extends'],
        ),
        file,
      );
    let base: unknown;
    if (otherFile === undefined) {
      if (!Object.hasOwn(services, ref))
        throw this.locatedError(
          new PathIssue(
            `cannot extend service "${name}": service "${ref}" not found`,
            'compose.extends-not-found',
            ['services', name, 'extends'],
          ),
          file,
        );
      base = await sameFile(ref, chainHere);
    } else {
      const kind = await this.io.stat(otherFile);
      if (kind !== 'file')
        throw this.locatedError(
          new PathIssue(
            `cannot extend service "${name}": file ${otherFile} not found`,
            'compose.extends-not-found',
            ['services', name, 'extends', 'file'],
          ),
          file,
        );
      const other = await this.extendsFileModel(otherFile, ctx);
      const otherServices = isPlainMap(other.services) ? other.services : {};
      if (!Object.hasOwn(otherServices, ref))
        throw this.locatedError(
          new PathIssue(
            `cannot extend service "${name}": service "${ref}" not found in ${this.display(otherFile)}`,
            'compose.extends-not-found',
            ['services', name, 'extends'],
          ),
          file,
        );
      // the other file's own extends resolve within it, from its own directory
      const otherCtx: FileContext = { ...ctx, baseDir: dirname(otherFile) };
      const copy: PlainMap = { ...other, services: { ...otherServices } };
      await this.applyExtends(otherFile, copy, otherCtx, chainHere);
      base = (copy.services as PlainMap)[ref];
    }
    const own: PlainMap = { ...service };
    delete own.extends;
    const baseService = base instanceof Tagged ? base.value : base;
    const merged = mergeService(strip(baseService), own, { keepResets: true }) as PlainMap;
    delete merged.extends;
    return raw instanceof Tagged ? new Tagged(raw.tag, merged) : merged;
  }

  /** A file named by `extends: {file}`: its tree with paths relative to its own directory. */
  private extendsFileModel(file: string, ctx: FileContext): Promise<PlainMap> {
    let known = this.extendsFiles.get(file);
    if (!known) {
      known = (async () => {
        const parsed = await this.parseFile(file);
        let model: PlainMap = {};
        for (const doc of parsed.documents)
          model = mergeProject(model, await this.fileTree(file, doc, { ...ctx, baseDir: dirname(file) }));
        return model;
      })();
      this.extendsFiles.set(file, known);
    }
    return known;
  }

  /** `include:`: other projects whose services and resources join this one (no conflicts allowed). */
  private async applyInclude(file: string, tree: PlainMap, ctx: FileContext): Promise<void> {
    const include = tree.include;
    delete tree.include;
    if (!Array.isArray(include)) return;
    for (const [i, entry] of include.entries()) {
      const spec: PlainMap = isPlainMap(entry) ? entry : { path: entry };
      const paths = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p) =>
        absolutePath(String(p), { baseDir: ctx.baseDir, homeDir: this.io.homedir }),
      );
      const main = paths[0]!;
      for (const [j, p] of paths.entries())
        if ((await this.io.stat(p)) !== 'file')
          throw this.locatedError(
            new PathIssue(`included file ${p} not found`, 'compose.include-not-found', [
              'include',
              i,
              ...(isPlainMap(entry) ? ['path', j] : []),
            ]),
            file,
          );
      if (ctx.includeStack.includes(main))
        throw this.locatedError(
          new PathIssue(
            `include cycle: ${[...ctx.includeStack, main].map((f) => this.display(f)).join(' includes ')}`,
            'compose.include-cycle',
            ['include', i],
          ),
          file,
        );
      const projectDir =
        typeof spec.project_directory === 'string'
          ? absolutePath(spec.project_directory, { baseDir: ctx.baseDir, homeDir: this.io.homedir })
          : dirname(main);
      let envFiles: string[];
      if (spec.env_file !== undefined)
        envFiles = (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f) =>
          absolutePath(String(f), { baseDir: ctx.baseDir, homeDir: this.io.homedir }),
        );
      else
        envFiles =
          (await this.io.stat(join(projectDir, '.env'))) === 'file' ? [join(projectDir, '.env')] : [];
      const extra = await this.readEnvFiles(envFiles, ctx.lookup);
      // the including project's environment wins over the included project's env files
      const lookup: Lookup = (k) => ctx.lookup(k) ?? (Object.hasOwn(extra, k) ? extra[k] : undefined);
      let imported: PlainMap = {};
      for (const p of paths) {
        const model = await this.fileModel(p, {
          baseDir: projectDir,
          lookup,
          includeStack: [...ctx.includeStack, main],
        });
        imported = mergeProject(imported, model);
      }
      imported = strip(imported) as PlainMap;
      for (const kind of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
        const from = imported[kind];
        if (!isPlainMap(from)) continue;
        const to: PlainMap = isPlainMap(tree[kind]) ? (tree[kind] as PlainMap) : {};
        for (const [name, value] of Object.entries(from)) {
          if (Object.hasOwn(to, name)) {
            if (JSON.stringify(to[name]) === JSON.stringify(value)) continue;
            throw this.locatedError(
              new PathIssue(
                `${kind}.${name} conflicts with the one imported from ${this.display(main)}`,
                'compose.include-conflict',
                [kind, name],
                `rename one of them; an included project's ${kind} cannot be redefined by the file that includes it`,
              ),
              file,
            );
          }
          put(to, name, value);
        }
        tree[kind] = to;
      }
    }
  }

  /** env_file contents join `environment` (which wins), as Compose resolves them at load time. */
  private async resolveServiceEnvironments(services: PlainMap, lookup: Lookup): Promise<void> {
    for (const [name, raw] of Object.entries(services)) {
      if (!isPlainMap(raw)) continue;
      const files = raw.env_file;
      delete raw.env_file;
      if (!Array.isArray(files) || files.length === 0) continue;
      const fromFiles: Record<string, string> = {};
      for (const [i, f] of files.entries()) {
        const { path, required } = f as { path: string; required: boolean };
        if ((await this.io.stat(path)) !== 'file') {
          if (required === false) continue;
          throw this.locatedIssue(
            new PathIssue(
              `env file ${path} not found`,
              'compose.env-file-not-found',
              ['services', name, 'env_file', i],
              'create it, or mark it "required: false"',
            ),
          );
        }
        const vars = await this.readDotenv(path, (k) =>
          Object.hasOwn(fromFiles, k) ? fromFiles[k] : lookup(k),
        );
        for (const [k, v] of vars) put(fromFiles, k, v);
      }
      const env: PlainMap = { ...fromFiles };
      if (isPlainMap(raw.environment)) for (const [k, v] of Object.entries(raw.environment)) put(env, k, v);
      raw.environment = env;
    }
  }

  /** Runs a phase of one file, turning its PathIssues into errors located in that file. */
  private guardFile<T>(file: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof PathIssue) throw this.locatedError(error, file);
      if (error instanceof InterpolationError) {
        const issue = new PathIssue(
          error.template.kind === 'required'
            ? `${error.message}`
            : `${error.message}${error.path.length ? ` at ${formatPath(error.path)}` : ''}`,
          error.template.kind === 'required' ? 'compose.required-variable' : 'compose.invalid-interpolation',
          error.path,
          error.template.kind === 'required'
            ? 'set it in the shell or in the .env file'
            : 'write $$ for a literal dollar sign, ${VAR} or ${VAR:-default} for a variable',
        );
        throw this.locatedError(issue, file);
      }
      throw error;
    }
  }

  /** Runs a phase over the merged model: a PathIssue is located in the file that wrote the path. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof PathIssue) throw this.locatedIssue(error);
      throw error;
    }
  }

  private locatedIssue(issue: PathIssue): TsComposeError {
    return this.locatedError(issue, this.fileWriting(issue.path, issue.atKey));
  }

  /** The file that wrote the most segments of `path`; later files win ties. */
  private fileWriting(path: Path, key: boolean): string | undefined {
    let bestFile: string | undefined;
    let bestMatched = -1;
    for (const file of [...this.parsed.keys()].reverse()) {
      const found = this.parsed.get(file)?.locate(path, key);
      if (found && found.matched > bestMatched) {
        bestMatched = found.matched;
        bestFile = file;
      }
    }
    return bestFile;
  }

  private locatedError(issue: PathIssue, file: string | undefined): TsComposeError {
    const location: SourceLocation = { path: formatPath(issue.path) || undefined };
    if (file !== undefined) {
      location.file = this.display(file);
      const pos = this.parsed.get(file)?.locate(issue.path, issue.atKey);
      if (pos) {
        location.line = pos.line;
        location.column = pos.column;
      }
    }
    return projectError(issue.message, issue.code, location, issue.hint);
  }
}

function resolveExtendsFile(service: unknown, baseDir: string, homeDir: string): unknown {
  if (!isPlainMap(service) || !isPlainMap(service.extends) || typeof service.extends.file !== 'string')
    return service;
  return {
    ...service,
    extends: { ...service.extends, file: absolutePath(service.extends.file, { baseDir, homeDir }) },
  };
}

/** Compose's rule for names taken from a directory or `name:`: lower case, only [a-z0-9_-], no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type { Path };
