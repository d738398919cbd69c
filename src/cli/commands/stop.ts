import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

export const run: CommandRun = (ctx, { args, options, global }) =>
  withProject(ctx, global, async ({ compose }, { name, loaded }) => {
    await compose.stop(name, loaded, {
      services: args.length ? args : undefined,
      timeoutSeconds: options.timeout as number | undefined,
    });
  });
