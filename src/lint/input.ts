import { isAbsolute, posix, relative, sep } from 'node:path';
import type { FilePosition, LoadedFile } from '../compose/load.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import type { Path } from '../compose/path.js';
import {
  jsonForm,
  lastInstruction,
  parseDockerfile,
  targetStage,
  type DockerStage,
  type ParsedDockerfile,
} from './dockerfile.js';
import type { Place, SubjectVersion } from './types.js';

/**
 * Everything the static rules read, gathered once by the app layer: the loaded project and its YAML
 * positions, the files of the repository (text included), and git's view of them. Plain data: the
 * rules are pure functions of it.
 */
export interface LintInput {
  /** Absolute root of the Inception repository: where the Makefile and srcs/ live. */
  root: string;
  options: LintOptions;
  compose: {
    /** Absolute path of the main compose file. */
    file: string;
    project: Project;
    /** Every YAML file the loader read, before interpolation. */
    files: readonly LoadedFile[];
    locate(path: Path, key?: boolean): FilePosition | undefined;
  };
  /** Files under the root that the rules read (posix paths relative to it), .git and node_modules left out. */
  files: ReadonlyMap<string, RepoFile>;
  /** Git's view of the root; undefined when it is not in a git work tree. */
  git?: GitView;
}

export interface LintOptions {
  subject: SubjectVersion;
  /** The student's login (`/home/<login>/data`, `<login>.42.fr`); inferred from the project when absent. */
  login?: string;
  /** Allowed base images, `debian:bookworm`, `alpine:3.22`. */
  bases: string[];
}

export interface RepoFile {
  size: number;
  /** UTF-8 text; absent for binary or large files. */
  text?: string;
}

export interface GitView {
  tracked: ReadonlySet<string>;
  /** Ignored paths; a directory ends with `/` and covers everything under it. */
  ignored: ReadonlySet<string>;
}

export type Role = 'nginx' | 'wordpress' | 'mariadb';
export const MANDATORY_ROLES: readonly Role[] = ['nginx', 'wordpress', 'mariadb'];

/** The command a container starts with, and where it was decided. */
export interface StartCommand {
  argv: string[];
  /** The ENTRYPOINT or CMD (or compose `entrypoint:`/`command:`) that wrote its first word. */
  place: Place;
  /** Where the CMD part (after the entrypoint's words) was written, and at which word it starts. */
  cmd?: { index: number; place: Place };
  /** CMD/ENTRYPOINT written in shell form: Docker runs it under `/bin/sh -c`. */
  shellForm?: { keyword: string; place: Place };
}

export interface ServiceFacts {
  name: string;
  config: ServiceConfig;
  /** Which part of the mandatory stack it is; undefined for bonus services. */
  role?: Role;
  bonus: boolean;
  /** The build context, relative to the root. */
  context?: string;
  dockerfilePath?: string;
  dockerfileText?: string;
  dockerfile?: ParsedDockerfile;
  /** The stage the image is made of. */
  stage?: DockerStage;
  start?: StartCommand;
}

export interface Facts {
  input: LintInput;
  services: ServiceFacts[];
  /** Shell scripts under srcs/ (by extension or shebang). */
  scripts: { path: string; text: string }[];
  rel(absolute: string): string;
  /** The place of a dotted path of the project (its nearest written ancestor). */
  composePlace(path: Path, key?: boolean): Place;
  text(path: string): string | undefined;
  login?: string;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function roleOf(name: string, context: string | undefined): Role | undefined {
  const candidates = [name.toLowerCase(), context ? posix.basename(context).toLowerCase() : ''];
  for (const c of candidates) {
    if (/nginx/.test(c)) return 'nginx';
    if (/wordpress|^wp([-_]|$)/.test(c)) return 'wordpress';
    if (/mariadb|mysql|^db$|^database$/.test(c)) return 'mariadb';
  }
  return undefined;
}

export function isShellScript(path: string, text: string): boolean {
  if (/\.(sh|bash)$/.test(path)) return true;
  return /^#!\s*\S*\/(env\s+)?(ba|da|a|k|z)?sh\b/.test(text);
}

export function collectFacts(input: LintInput): Facts {
  const rel = (absolute: string) => {
    if (absolute === '-') return '(stdin)';
    const r = relative(input.root, absolute);
    return r && !r.startsWith('..') && !isAbsolute(r) ? toPosix(r) : toPosix(absolute);
  };
  const composePlace = (path: Path, key = false): Place => {
    const pos = input.compose.locate(path, key);
    return pos
      ? { file: rel(pos.file), line: pos.line, column: pos.column }
      : { file: rel(input.compose.file) };
  };
  const text = (path: string) => input.files.get(path)?.text;

  const services: ServiceFacts[] = [];
  for (const [name, config] of Object.entries(input.compose.project.services)) {
    const facts: ServiceFacts = { name, config, bonus: false };
    if (
      config.build &&
      !/^[a-z]+:\/\//i.test(config.build.context) &&
      !config.build.context.startsWith('git@')
    ) {
      facts.context = rel(config.build.context);
      if (config.build.dockerfile !== undefined || config.build.dockerfile_inline === undefined) {
        const dockerfile = config.build.dockerfile ?? 'Dockerfile';
        facts.dockerfilePath = posix.normalize(
          isAbsolute(dockerfile) ? rel(dockerfile) : posix.join(facts.context, toPosix(dockerfile)),
        );
        facts.dockerfileText = text(facts.dockerfilePath);
      }
    }
    facts.bonus = facts.context !== undefined && /(^|\/)bonus\//.test(facts.context);
    const role = facts.bonus ? undefined : roleOf(name, facts.context);
    if (role) facts.role = role;
    else facts.bonus = true;
    if (facts.dockerfileText !== undefined) {
      facts.dockerfile = parseDockerfile(facts.dockerfileText, config.build?.args ?? {});
      const stage = targetStage(facts.dockerfile, config.build?.target);
      if (stage) facts.stage = stage;
    }
    const start = startCommand(facts, composePlace);
    if (start) facts.start = start;
    services.push(facts);
  }
  // the mandatory roles go to one service each: the best-named one keeps it
  for (const role of MANDATORY_ROLES) {
    const holders = services.filter((s) => s.role === role);
    if (holders.length <= 1) continue;
    const keep = holders.find((s) => s.name === role) ?? holders[0]!;
    for (const s of holders)
      if (s !== keep) {
        delete s.role;
        s.bonus = true;
      }
  }

  const scripts: Facts['scripts'] = [];
  for (const [path, file] of input.files)
    if (file.text !== undefined && path.startsWith('srcs/') && isShellScript(path, file.text))
      scripts.push({ path, text: file.text });

  const facts: Facts = { input, services, scripts, rel, composePlace, text };
  const login = input.options.login ?? inferLogin(facts);
  if (login) facts.login = login;
  return facts;
}

/**
 * ENTRYPOINT + CMD of the image, with compose's `entrypoint:` and `command:` over them (a compose
 * entrypoint also drops the image's CMD, as Docker does).
 */
function startCommand(facts: ServiceFacts, composePlace: Facts['composePlace']): StartCommand | undefined {
  const { config, dockerfile, stage, dockerfilePath } = facts;
  type Part = { argv: string[]; place: Place; shellForm?: { keyword: string; place: Place } };
  const fromImage = (keyword: string): Part | undefined => {
    if (!dockerfile || !stage || !dockerfilePath) return undefined;
    const instruction = lastInstruction(dockerfile, stage, keyword);
    if (!instruction) return undefined;
    const json = instruction.json ?? jsonForm(instruction.text);
    const place: Place = { file: dockerfilePath, line: instruction.line };
    return json
      ? { argv: json, place }
      : { argv: ['/bin/sh', '-c', instruction.text.trim()], place, shellForm: { keyword, place } };
  };
  const entrypoint: Part | undefined =
    config.entrypoint !== null && config.entrypoint !== undefined
      ? { argv: [...config.entrypoint], place: composePlace(['services', facts.name, 'entrypoint']) }
      : fromImage('ENTRYPOINT');
  let cmd: Part | undefined;
  if (config.command !== null && config.command !== undefined)
    cmd = { argv: [...config.command], place: composePlace(['services', facts.name, 'command']) };
  else if (config.entrypoint === null || config.entrypoint === undefined) {
    cmd = fromImage('CMD');
    // an ENTRYPOINT written after the CMD's stage resets it, as Docker does
    if (cmd && entrypoint && dockerfile && stage) {
      const e = lastInstruction(dockerfile, stage, 'ENTRYPOINT');
      const c = lastInstruction(dockerfile, stage, 'CMD');
      if (e && c && e.line > c.line && stageOf(dockerfile, e.line) !== stageOf(dockerfile, c.line))
        cmd = undefined;
    }
  }
  const argv = [...(entrypoint?.argv ?? []), ...(cmd?.argv ?? [])];
  if (argv.length === 0) return undefined;
  const first = entrypoint?.argv.length ? entrypoint : cmd!;
  const shell = entrypoint?.shellForm ?? cmd?.shellForm;
  const cmdPart =
    cmd && entrypoint?.argv.length ? { cmd: { index: entrypoint.argv.length, place: cmd.place } } : {};
  return { argv, place: first.place, ...cmdPart, ...(shell ? { shellForm: shell } : {}) };
}

function stageOf(parsed: ParsedDockerfile, line: number): number {
  let index = -1;
  parsed.stages.forEach((s, i) => {
    if (s.line <= line) index = i;
  });
  return index;
}

/** `/home/<login>/data` in the volumes, else `<login>.42.fr` anywhere in the project's settings. */
function inferLogin(facts: Facts): string | undefined {
  const project = facts.input.compose.project;
  const homes = new Set<string>();
  const paths: string[] = [];
  for (const volume of Object.values(project.volumes ?? {}))
    if (volume.driver_opts?.device) paths.push(volume.driver_opts.device);
  for (const s of facts.services)
    for (const v of s.config.volumes ?? []) if (v.type === 'bind' && v.source) paths.push(v.source);
  for (const p of paths) {
    const m = /^\/home\/([^/]+)\/data(\/|$)/.exec(p);
    if (m) homes.add(m[1]!);
  }
  if (homes.size === 1) return [...homes][0];
  for (const s of facts.services)
    for (const value of Object.values(s.config.environment ?? {})) {
      const m = value ? /(?:^|[^a-z0-9.-])([a-z0-9-]+)\.42\.fr\b/i.exec(value) : null;
      if (m) return m[1];
    }
  return undefined;
}
