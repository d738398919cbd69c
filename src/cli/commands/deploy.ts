import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { loadFromCli } from '../session.js';
import { openStackSession } from '../stack-session.js';

interface DeployFlags {
  stack?: string;
  build?: boolean;
  noBuild?: boolean;
  prune?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  dryRun?: boolean;
}

export const run: CommandRun = async (ctx, { options, global }) => {
  const flags = options as DeployFlags;
  if (flags.build && flags.noBuild)
    throw usageError('--build and --no-build cannot be combined', 'keep one of them');
  const dryRun = flags.dryRun === true || global.dryRun === true;
  const loaded = await loadFromCli(ctx, global);
  const { session, stacks, close } = await openStackSession(ctx, global);
  try {
    const result = await stacks.deploy(loaded, {
      stack: flags.stack,
      build: flags.build,
      noBuild: flags.noBuild,
      prune: flags.prune,
      wait: flags.wait,
      waitTimeoutSeconds: flags.waitTimeout,
      dryRun,
    });
    await session.finishProgress();
    if (dryRun) ctx.stdout.write(result.text);
  } finally {
    await close();
  }
};
