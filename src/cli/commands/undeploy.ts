import type { CommandRun } from '../context.js';
import { projectFromCli } from '../session.js';
import { openStackSession } from '../stack-session.js';

interface UndeployFlags {
  stack?: string;
  dryRun?: boolean;
}

export const run: CommandRun = async (ctx, { options, global }) => {
  const flags = options as UndeployFlags;
  const dryRun = flags.dryRun === true || global.dryRun === true;
  // the stack is named as deploy names it: --stack, else the project's name
  const stack = flags.stack ?? (await projectFromCli(ctx, global)).name;
  const { session, stacks, close } = await openStackSession(ctx, global);
  try {
    const result = await stacks.undeploy(stack, { dryRun });
    await session.finishProgress();
    if (dryRun) ctx.stdout.write(result.text);
  } finally {
    await close();
  }
};
