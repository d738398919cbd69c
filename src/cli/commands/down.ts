import type { CommandRun } from '../context.js';
import { openSession, projectFromCli } from '../session.js';

interface DownFlags {
  volumes?: boolean;
  rmi?: 'local' | 'all';
  removeOrphans?: boolean;
  timeout?: number;
}

export const run: CommandRun = async (ctx, { options, global }) => {
  const flags = options as DownFlags;
  const { name, loaded } = await projectFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    const result = await session.compose.down(name, loaded, {
      volumes: flags.volumes,
      rmi: flags.rmi,
      removeOrphans: flags.removeOrphans,
      timeoutSeconds: flags.timeout,
      dryRun: global.dryRun,
    });
    await session.finishProgress();
    if (global.dryRun) ctx.stdout.write(result.text);
  } finally {
    await session.close();
  }
};
