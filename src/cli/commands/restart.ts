import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

export const run: CommandRun = (ctx, { args, options, global }) =>
  withProject(ctx, global, async ({ compose }, { name }) => {
    await compose.restart(name, { services: args, timeoutSeconds: options.timeout as number | undefined });
  });
