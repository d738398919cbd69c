import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TsComposeError } from '../core/errors.js';
import { ContextFilter, parseDockerignore } from './dockerignore.js';

/** Where a build's Dockerfile comes from: a file (absolute path) or `dockerfile_inline`. */
export type DockerfileSource = { kind: 'file'; path: string } | { kind: 'inline'; content: string };

export interface ContextSource {
  /** The service, for messages. */
  service: string;
  /** Absolute path of the context directory. */
  contextDir: string;
  dockerfile: DockerfileSource;
}

/** A file the tar carries that is not (as it is) in the directory. */
export interface SyntheticFile {
  name: string;
  content: Buffer;
  mode: number;
}

/** A build context ready to be hashed or sent: what goes in, under which names. */
export interface PreparedContext {
  service: string;
  contextDir: string;
  /** The Dockerfile's name inside the tar, as the engine's `dockerfile` parameter. */
  dockerfileName: string;
  dockerfileText: string;
  /** Absolute path of the Dockerfile, or undefined for `dockerfile_inline`. */
  dockerfilePath: string | undefined;
  filter: ContextFilter;
  /** The ignore file whose rules apply (absolute), if any. */
  ignoreFile: string | undefined;
  /** Added first; a walked file of the same name is skipped. */
  synthetic: SyntheticFile[];
  /** The ignore rules that applied, as the engine reads them from the tar's .dockerignore. */
  ignorePatterns: string[];
}

export type ContextEntry =
  | { type: 'directory'; name: string; path: string; mode: number; mtime: Date }
  | { type: 'file'; name: string; path: string; mode: number; mtime: Date; size: number }
  | { type: 'symlink'; name: string; path: string; mode: number; mtime: Date; target: string };

const toPosix = (p: string) => p.split(sep).join('/');

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function readIgnoreFile(source: ContextSource, path: string): Promise<string | undefined> {
  return readIfExists(path).catch((error: unknown) => {
    throw unreadable(source, path, error);
  });
}

function contextError(source: ContextSource, message: string, hint: string, code: string): TsComposeError {
  return new TsComposeError(message, {
    code,
    location: { path: `services.${source.service}.build` },
    hint,
  });
}

/**
 * Reads what decides a context's content: the Dockerfile and the ignore rules. The rules come from
 * `<Dockerfile>.dockerignore` beside the Dockerfile when it exists, else from `.dockerignore` at the
 * context root (BuildKit's precedence). A Dockerfile outside the context, or inline, travels in the
 * tar under a name derived from its content and is listed in the tar's .dockerignore, as the docker
 * CLI does, so that `COPY . .` never copies it.
 */
export async function prepareContext(source: ContextSource): Promise<PreparedContext> {
  const contextDir = resolve(source.contextDir);
  const contextStat = await stat(contextDir).catch(() => undefined);
  if (!contextStat?.isDirectory())
    throw contextError(
      source,
      `the build context of service "${source.service}" is not a directory: ${contextDir}`,
      'check build.context (relative to the compose file)',
      'build.context-missing',
    );

  let dockerfileText: string;
  let dockerfilePath: string | undefined;
  let inContextName: string | undefined;
  if (source.dockerfile.kind === 'inline') {
    dockerfileText = source.dockerfile.content;
  } else {
    dockerfilePath = resolve(contextDir, source.dockerfile.path);
    const text = await readIfExists(dockerfilePath).catch((error: NodeJS.ErrnoException) => {
      throw contextError(
        source,
        `cannot read the Dockerfile of service "${source.service}": ${dockerfilePath} (${error.code ?? error.message})`,
        'check its permissions',
        'build.dockerfile-unreadable',
      );
    });
    if (text === undefined)
      throw contextError(
        source,
        `the Dockerfile of service "${source.service}" does not exist: ${dockerfilePath}`,
        'check build.dockerfile (relative to build.context), or create the file',
        'build.dockerfile-missing',
      );
    dockerfileText = text;
    const rel = relative(contextDir, dockerfilePath);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) inContextName = toPosix(rel);
  }

  let ignoreFile: string | undefined;
  let ignoreText: string | undefined;
  let perDockerfile = false;
  if (dockerfilePath) {
    ignoreText = await readIgnoreFile(source, `${dockerfilePath}.dockerignore`);
    if (ignoreText !== undefined) {
      ignoreFile = `${dockerfilePath}.dockerignore`;
      perDockerfile = true;
    }
  }
  if (ignoreText === undefined) {
    ignoreText = await readIgnoreFile(source, join(contextDir, '.dockerignore'));
    if (ignoreText !== undefined) ignoreFile = join(contextDir, '.dockerignore');
  }
  const patterns = parseDockerignore(ignoreText ?? '');

  const synthetic: SyntheticFile[] = [];
  let dockerfileName: string;
  let enginePatterns = patterns;
  if (inContextName !== undefined) {
    dockerfileName = inContextName;
  } else {
    dockerfileName = syntheticDockerfileName(dockerfileText);
    synthetic.push({ name: dockerfileName, content: Buffer.from(dockerfileText), mode: 0o600 });
    enginePatterns = [...patterns, dockerfileName];
  }
  const filter = new ContextFilter(patterns, [dockerfileName, '.dockerignore']);
  // The engine reads .dockerignore from the tar to drop the Dockerfile and itself from what COPY
  // sees; it must hold the rules that applied, which differ from the root file in these two cases.
  if (perDockerfile || inContextName === undefined) {
    const content = enginePatterns.length ? `${enginePatterns.join('\n')}\n` : '';
    synthetic.push({ name: '.dockerignore', content: Buffer.from(content), mode: 0o644 });
  }
  return {
    service: source.service,
    contextDir,
    dockerfileName,
    dockerfileText,
    dockerfilePath,
    filter,
    ignoreFile,
    synthetic,
    ignorePatterns: patterns,
  };
}

/** Where a Dockerfile that is not (as it is) in the context travels in the tar. */
const syntheticDockerfileName = (text: string) =>
  `.dockerfile.${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;

/**
 * The same context with another Dockerfile text for the engine: it travels under a name of its own,
 * listed in the tar's .dockerignore so that `COPY . .` never sees it; `COPY . .` sees the same
 * files of the directory as with the Dockerfile on disk.
 */
export function withDockerfileText(context: PreparedContext, text: string): PreparedContext {
  const name = syntheticDockerfileName(text);
  // a .dockerignore the tar did not carry before stays out of `COPY . .` too
  const carried =
    context.synthetic.some((f) => f.name === '.dockerignore') ||
    context.ignoreFile === join(context.contextDir, '.dockerignore');
  const patterns = [...context.ignorePatterns, name, ...(carried ? [] : ['.dockerignore'])];
  const kept = context.synthetic.filter(
    (f) => f.name !== '.dockerignore' && f.name !== context.dockerfileName,
  );
  return {
    ...context,
    dockerfileName: name,
    dockerfileText: text,
    // the Dockerfile on disk is now a file like the others: sent when the rules keep it
    filter: new ContextFilter(context.ignorePatterns, [name, '.dockerignore']),
    synthetic: [
      { name, content: Buffer.from(text), mode: 0o600 },
      ...kept,
      { name: '.dockerignore', content: Buffer.from(`${patterns.join('\n')}\n`), mode: 0o644 },
    ],
  };
}

/** A file or directory of the context that cannot be read, named with its service. */
export function unreadable(
  context: Pick<PreparedContext, 'service'>,
  path: string,
  error: unknown,
): TsComposeError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new TsComposeError(
    `cannot read ${path} in the build context of service "${context.service}" (${code})`,
    {
      code: 'build.context-unreadable',
      location: { path: `services.${context.service}.build.context` },
      hint: 'fix its permissions, or leave it out with .dockerignore',
      cause: error,
    },
  );
}

/**
 * The entries a context sends, in Docker's order (lexical, depth first), without what the ignore
 * rules exclude. An excluded directory is not entered unless an exception pattern names something
 * under it; then its files are sent and the directory itself is not. Sockets, FIFOs and devices are
 * left out (reading a FIFO would block).
 */
export async function* walkContext(context: PreparedContext): AsyncGenerator<ContextEntry> {
  const skip = new Set(context.synthetic.map((f) => f.name));
  const root = context.contextDir;

  async function* walkDir(relDir: string): AsyncGenerator<ContextEntry> {
    const dir = relDir ? join(root, relDir) : root;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      throw unreadable(context, dir, error);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const entryName of names) {
      const name = relDir ? `${relDir}/${entryName}` : entryName;
      if (skip.has(name)) continue;
      const path = join(dir, entryName);
      let info;
      try {
        info = await lstat(path);
      } catch (error) {
        // removed while walking: it is simply not part of the context
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw unreadable(context, path, error);
      }
      const excluded = context.filter.excludes(name);
      const mode = info.mode & 0o7777;
      if (info.isDirectory()) {
        if (excluded && !context.filter.mayHoldExceptions(name)) continue;
        if (!excluded) yield { type: 'directory', name, path, mode, mtime: info.mtime };
        yield* walkDir(name);
      } else if (excluded) {
        continue;
      } else if (info.isFile()) {
        yield { type: 'file', name, path, mode, mtime: info.mtime, size: info.size };
      } else if (info.isSymbolicLink()) {
        let target: string;
        try {
          target = await readlink(path);
        } catch (error) {
          throw unreadable(context, path, error);
        }
        yield { type: 'symlink', name, path, mode, mtime: info.mtime, target };
      }
    }
  }
  yield* walkDir('');
}
