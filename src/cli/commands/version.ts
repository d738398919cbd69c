import { isTsComposeError, TsComposeError } from '../../core/errors.js';
import type { EngineVersion } from '../../engine/engine.js';
import type { CommandRun } from '../context.js';
import { tscomposeVersion } from '../version.js';

interface VersionFlags {
  format?: 'pretty' | 'json';
  short?: boolean;
}

/**
 * `tscompose version`: ours, then the engine's. `--short` prints ours only and never calls the
 * engine, for scripts. An engine that does not answer is an error (exit 1) after our own version,
 * as `docker version` does, so that the user learns both at once.
 */
export const run: CommandRun = async (ctx, { options }) => {
  const flags = options as VersionFlags;
  if (flags.short) {
    ctx.stdout.write(`${tscomposeVersion}\n`);
    return;
  }
  const { createDockerEngine } = await import('../../engine/docker-engine.js');
  const engine = createDockerEngine({ env: ctx.env });
  let server: EngineVersion | undefined;
  let failure: unknown;
  try {
    server = await engine.version();
  } catch (error) {
    failure = error;
  } finally {
    engine.close();
  }
  if (flags.format === 'json')
    ctx.stdout.write(`${JSON.stringify({ version: tscomposeVersion, engine: server ?? null })}\n`);
  else {
    ctx.stdout.write(`tscompose version ${tscomposeVersion}\n`);
    if (server)
      ctx.stdout.write(
        `Docker Engine version ${server.version} (API ${server.apiVersion}, ${server.os}/${server.arch})\n`,
      );
  }
  if (failure !== undefined) {
    if (isTsComposeError(failure)) throw failure;
    throw new TsComposeError('cannot read the Docker engine version', {
      code: 'engine.version',
      cause: failure,
    });
  }
};
