import { buildFlags } from './up.js';
import type { CommandRun } from '../context.js';
import { loadFromCli } from '../session.js';
import { openStackSession } from '../stack-session.js';

interface DeployFlags {
  stack?: string;
  /** `--build` true, `--no-build` false. */
  build?: boolean;
  prune?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  dryRun?: boolean;
}

export const run: CommandRun = async (ctx, { options, global }) => {
  const flags = options as DeployFlags;
  const dryRun = flags.dryRun === true || global.dryRun === true;
  const loaded = await loadFromCli(ctx, global);
  const { session, stacks, close } = await openStackSession(ctx, global);
  try {
    const result = await stacks.deploy(loaded, {
      stack: flags.stack,
      ...buildFlags(flags),
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
