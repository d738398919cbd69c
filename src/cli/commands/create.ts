import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { loadFromCli, openSession } from '../session.js';
import { parseScale, type UpFlags } from './up.js';

/** `create`: what `up --no-start` does: images, networks, volumes and containers, nothing started. */
export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as UpFlags;
  if (flags.build && flags.noBuild) throw usageError('--build and --no-build cannot be combined');
  const loaded = await loadFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    const result = await session.compose.up(loaded, {
      services: args,
      build: flags.build === true,
      noBuild: flags.noBuild,
      pull: flags.pull,
      forceRecreate: flags.forceRecreate,
      noRecreate: flags.recreate === false,
      removeOrphans: flags.removeOrphans,
      scale: parseScale(flags.scale),
      start: false,
      dryRun: global.dryRun,
    });
    if (global.dryRun) ctx.stdout.write(result.text);
  } finally {
    await session.close();
  }
};
