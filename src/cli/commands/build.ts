import { build } from '../../app/build.js';
import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { openProgress } from '../output.js';
import { loadFromCli, openEngine } from '../session.js';
import { tscomposeVersion } from '../version.js';

interface BuildFlags {
  /** commander's `--no-cache`: false when given. */
  cache?: boolean;
  pull?: boolean;
  buildArg?: string[];
  quiet?: boolean;
  parallel?: number;
}

/** `build --parallel N`, else the global `--parallel`, else COMPOSE_PARALLEL_LIMIT; -1 or none: no bound. */
function parallelLimit(flag: number | undefined, global: number | undefined, env: string | undefined) {
  const value = flag ?? global ?? (env ? Number(env) : undefined);
  if (value === undefined || value < 0) return undefined;
  if (!Number.isInteger(value) || value === 0)
    throw usageError(`--parallel must be a positive whole number or -1, not "${value}"`);
  return value;
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as BuildFlags;
  const parallel = parallelLimit(flags.parallel, global.parallel, ctx.env.COMPOSE_PARALLEL_LIMIT);
  const { project, source } = await loadFromCli(ctx, global);
  const engine = await openEngine(ctx);
  const progress = await openProgress(ctx, flags.quiet ? { ...global, progress: 'quiet' } : global);
  try {
    await build(
      project,
      {
        services: args,
        noCache: flags.cache === false,
        pull: flags.pull === true,
        buildArgs: flags.buildArg ?? [],
        ...(parallel !== undefined ? { parallel } : {}),
        environment: source.environment,
        version: tscomposeVersion,
      },
      { engine, progress: (event) => progress.emit(event), signal: ctx.signal },
    );
  } finally {
    await progress.close();
    engine.close();
  }
};
