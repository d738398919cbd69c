import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { LoaderIO, LoadOptions } from '../compose/load.js';
import type { CliContext, GlobalOptions } from './context.js';

/**
 * Global options and Compose's environment variables → what the loader needs. Every command that
 * loads a project goes through here, so `-f`, `-p`, `--profile`, `--env-file` and their variables
 * mean the same thing everywhere:
 * - `COMPOSE_FILE`: files separated by `COMPOSE_PATH_SEPARATOR` (default `:`), when no `-f`;
 * - `COMPOSE_ENV_FILES`: comma-separated env files, when no `--env-file`;
 * - `COMPOSE_PROFILES` and `COMPOSE_PROJECT_NAME` are read by the loader itself, from the shell or
 *   the project's `.env`, as Compose reads them.
 */
export function projectLoadOptions(global: GlobalOptions, env: CliContext['env']): LoadOptions {
  const options: LoadOptions = {};
  if (global.file?.length) options.files = global.file;
  else if (env.COMPOSE_FILE) {
    const separator = env.COMPOSE_PATH_SEPARATOR || ':';
    options.files = env.COMPOSE_FILE.split(separator).filter(Boolean);
  }
  if (global.projectName) options.projectName = global.projectName;
  if (global.projectDirectory) options.projectDirectory = global.projectDirectory;
  if (global.profile?.length) options.profiles = global.profile.flatMap((p) => p.split(',')).filter(Boolean);
  if (global.envFile?.length) options.envFiles = global.envFile;
  else if (env.COMPOSE_ENV_FILES) options.envFiles = env.COMPOSE_ENV_FILES.split(',').filter(Boolean);
  return options;
}

/** The loader's window on the world, from the CLI's context. */
export function loaderIO(ctx: CliContext): LoaderIO {
  return {
    env: ctx.env,
    cwd: ctx.cwd,
    homedir: ctx.env.HOME || homedir(),
    // synchronous reads of a few small files: cheaper than loading fs/promises at start-up
    readFile: async (path) => readFileSync(path, 'utf8'),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.stdin)
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    stat: async (path) => {
      const s = statSync(path, { throwIfNoEntry: false });
      return s === undefined ? undefined : s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
    },
  };
}
