import type { CommandRun } from '../context.js';
import { loadFromCli, openSession } from '../session.js';
import { upOptions, type UpFlags } from './up.js';

/** `create`: what `up --no-start` does: images, networks, volumes and containers, nothing started. */
export const run: CommandRun = async (ctx, { args, options, global }) => {
  const create = { ...upOptions(options as UpFlags, args, global), start: false };
  const loaded = await loadFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    const result = await session.compose.up(loaded, create);
    if (global.dryRun) ctx.stdout.write(result.text);
  } finally {
    await session.close();
  }
};
