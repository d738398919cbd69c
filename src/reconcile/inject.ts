import { posix } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { TsComposeError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import type { FileInjection } from './convert.js';

/**
 * Secrets and configs that are not files, copied into a created container before it starts, as
 * Compose does without Swarm: one archive per container through the engine's archive API, so the
 * image needs neither a shell nor tar. Values are read here, at the last moment, and go nowhere else:
 * not into the plan, progress events or errors.
 */

export type InjectionEnvironment = Readonly<Record<string, string | undefined>>;

/** The bytes of one injected file: its variable's value, or its literal content. */
export function injectionContent(injection: FileInjection, environment: InjectionEnvironment): Buffer {
  if ('content' in injection.source) return Buffer.from(injection.source.content, 'utf8');
  const variable = injection.source.environment;
  const value = environment[variable];
  if (value === undefined)
    throw new TsComposeError(
      `${injection.kind} "${injection.name}" reads the environment variable ${variable}, which is not set`,
      {
        code: 'compose.unset-variable',
        exitCode: 15,
        hint: `set ${variable} in the shell or in the project's .env file`,
      },
    );
  return Buffer.from(value, 'utf8');
}

/** The folders above `path`, outermost first, `/` left out: `/run/secrets/x` → `/run`, `/run/secrets`. */
export function parentDirectories(path: string): string[] {
  const out: string[] = [];
  for (let dir = posix.dirname(path); dir !== '/' && dir !== '.'; dir = posix.dirname(dir)) out.unshift(dir);
  return out;
}

const entryName = (path: string) => path.replace(/^\/+/, '');

/**
 * An in-memory tar of the files (named by their absolute path, extracted at `/`), preceded by an
 * entry for each of `directories` (0755, root): the folders that do not exist in the container yet.
 * Existing folders get no entry, as the engine would give them this entry's mode and owner.
 */
export async function injectionArchive(
  files: { injection: FileInjection; content: Buffer }[],
  directories: readonly string[],
  mtime = new Date(),
): Promise<Buffer> {
  const pack = tar.pack();
  for (const dir of directories)
    pack.entry({ name: `${entryName(dir)}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime });
  for (const { injection, content } of files)
    pack.entry(
      {
        name: entryName(injection.target),
        type: 'file',
        size: content.length,
        mode: injection.mode,
        uid: injection.uid ?? 0,
        gid: injection.gid ?? 0,
        mtime,
      },
      content,
    );
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Copies the injections into container `id` (created, not started yet). */
export async function injectFiles(
  engine: Pick<Engine, 'putArchive' | 'statPath'>,
  id: string,
  injections: readonly FileInjection[],
  environment: InjectionEnvironment,
): Promise<void> {
  if (!injections.length) return;
  // every value first: an unset variable fails before anything is copied
  const files = injections.map((injection) => ({
    injection,
    content: injectionContent(injection, environment),
  }));
  const wanted = [...new Set(injections.flatMap((i) => parentDirectories(i.target)))];
  const missing = new Set<string>();
  // a folder whose parent is missing is missing too; the others are asked, outermost first
  for (const dir of wanted) {
    const parent = posix.dirname(dir);
    if (missing.has(parent) || !(await engine.statPath(id, dir))) missing.add(dir);
  }
  const archive = await injectionArchive(
    files,
    wanted.filter((d) => missing.has(d)),
  );
  const copyUidGid = injections.some((i) => i.uid !== undefined || i.gid !== undefined);
  await engine.putArchive(id, '/', Readable.from([archive]), { copyUidGid });
}
