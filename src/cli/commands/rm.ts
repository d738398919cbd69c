import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

interface RmFlags {
  force?: boolean;
  stop?: boolean;
  volumes?: boolean;
}

/** `rm`: removes stopped service containers (`-s` stops running ones first). */
export const run: CommandRun = (ctx, { args, options, global }) =>
  withProject(ctx, global, async ({ compose }, { name }) => {
    const flags = options as RmFlags;
    const removed = await compose.rm(name, { services: args, stop: flags.stop, volumes: flags.volumes });
    if (removed.length === 0) ctx.stderr.write('No stopped containers\n');
  });
