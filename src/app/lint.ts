import { basename, dirname, join, resolve } from 'node:path';
import { DEFAULT_FILE_NAMES, loadProject, type LoaderIO, type LoadOptions } from '../compose/load.js';
import type { Engine } from '../engine/engine.js';
import type { GitView, LintInput, RepoFile } from '../lint/input.js';
import { runProbes, type ProbeIO } from '../lint/probe.js';
import { lintStatic } from '../lint/static.js';
import { hasErrors, type RuleResult, type SubjectVersion } from '../lint/types.js';

/** `lint --inception`: what to judge and how. */
export interface LintOptions {
  load: LoadOptions;
  subject: SubjectVersion;
  login?: string;
  /** Allowed base images; default the penultimate stable Debian and Alpine. */
  bases?: string[];
  /** Also judge the running stack. */
  probe?: boolean;
}

/** The penultimate stable releases when this was written (Debian 13 and Alpine 3.23 are the latest). */
export const DEFAULT_BASES = ['debian:bookworm', 'alpine:3.22'];

export interface LintIO extends LoaderIO {
  /** Entries of a directory, or undefined when it cannot be read. */
  readdir(
    path: string,
  ): Promise<{ name: string; kind: 'file' | 'directory' | 'other'; size: number }[] | undefined>;
  /** Runs git with `args` in `cwd`: its stdout, or undefined when git fails or is missing. */
  git(args: string[], cwd: string): Promise<string | undefined>;
}

export interface LintDeps {
  /** For --probe. */
  engine?: Engine;
  probeIO?: ProbeIO;
  signal?: AbortSignal;
}

export interface LintReport {
  /** The repository root the paths of the results are relative to. */
  root: string;
  composeFile: string;
  project: string;
  subject: SubjectVersion;
  login?: string;
  results: RuleResult[];
  /** What the loader warned about. */
  warnings: string[];
  /** No error-level rule failed. */
  ok: boolean;
}

/** Files larger than this are listed but not read: no configuration file of a project is that big. */
const MAX_TEXT_BYTES = 256 * 1024;
const MAX_FILES = 5000;
const SKIP_DIRS = new Set(['.git', 'node_modules']);

export async function lintInception(
  options: LintOptions,
  io: LintIO,
  deps: LintDeps = {},
): Promise<LintReport> {
  const load: LoadOptions = { ...options.load };
  if (!load.files?.length) {
    // from the repository root, the project is srcs/docker-compose.yml
    const here = await Promise.all(DEFAULT_FILE_NAMES.map((n) => io.stat(join(io.cwd, n))));
    if (!here.includes('file'))
      for (const name of ['docker-compose.yml', ...DEFAULT_FILE_NAMES]) {
        const srcs = join(io.cwd, 'srcs', name);
        if ((await io.stat(srcs)) !== 'file') continue;
        load.files = [srcs];
        break;
      }
  }
  // every service is judged, the bonus ones behind a profile included
  if (!load.profiles) load.profiles = ['*'];
  const loaded = await loadProject(load, io);
  const composeFile = loaded.source.configFiles[0] ?? join(io.cwd, 'compose.yaml');
  const composeDir = dirname(composeFile);
  const root = basename(composeDir) === 'srcs' ? dirname(composeDir) : composeDir;

  const files = await readTree(root, io);
  const git = await gitView(root, io);
  const input: LintInput = {
    root,
    options: {
      subject: options.subject,
      bases: options.bases?.length ? options.bases : DEFAULT_BASES,
      ...(options.login ? { login: options.login } : {}),
    },
    compose: { file: composeFile, project: loaded.project, files: loaded.files, locate: loaded.locate },
    files,
    ...(git ? { git } : {}),
  };
  const { results: staticResults, login, roles } = lintStatic(input);
  const results = [...staticResults];
  if (options.probe) {
    if (!deps.engine || !deps.probeIO) throw new Error('lint --probe needs an engine and the network');
    results.push(
      ...(await runProbes(
        { project: loaded.project, roles, subject: options.subject, ...(login ? { login } : {}) },
        { engine: deps.engine, io: deps.probeIO, ...(deps.signal ? { signal: deps.signal } : {}) },
      )),
    );
  }
  return {
    root,
    composeFile,
    project: loaded.project.name,
    subject: options.subject,
    ...(login ? { login } : {}),
    results,
    warnings: loaded.warnings,
    ok: !hasErrors(results),
  };
}

/** The files the rules read: the root's own files, and everything under srcs/ and secrets/. */
async function readTree(root: string, io: LintIO): Promise<Map<string, RepoFile>> {
  const files = new Map<string, RepoFile>();
  const visit = async (dir: string, prefix: string, recurse: (name: string) => boolean) => {
    const entries = await io.readdir(dir);
    if (!entries) return;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.size >= MAX_FILES) return;
      const path = `${prefix}${entry.name}`;
      if (entry.kind === 'directory') {
        if (!SKIP_DIRS.has(entry.name) && recurse(entry.name))
          await visit(join(dir, entry.name), `${path}/`, () => true);
        continue;
      }
      if (entry.kind !== 'file') continue;
      const file: RepoFile = { size: entry.size };
      if (entry.size <= MAX_TEXT_BYTES) {
        try {
          const text = await io.readFile(join(dir, entry.name));
          if (!text.includes('\0')) file.text = text;
        } catch {
          // unreadable (permissions): listed, not read
        }
      }
      files.set(path, file);
    }
  };
  await visit(resolve(root), '', (name) => name === 'srcs' || name === 'secrets');
  return files;
}

async function gitView(root: string, io: LintIO): Promise<GitView | undefined> {
  const inside = await io.git(['rev-parse', '--is-inside-work-tree'], root);
  if (inside?.trim() !== 'true') return undefined;
  const tracked = await io.git(['ls-files', '-z'], root);
  const ignored = await io.git(
    ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'],
    root,
  );
  if (tracked === undefined || ignored === undefined) return undefined;
  const split = (s: string) => new Set(s.split('\0').filter(Boolean));
  return { tracked: split(tracked), ignored: split(ignored) };
}
