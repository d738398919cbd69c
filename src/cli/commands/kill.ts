import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

export const run: CommandRun = (ctx, { args, options, global }) =>
  withProject(ctx, global, async ({ compose }, { name }) => {
    await compose.kill(name, { services: args, signal: options.signal as string | undefined });
  });
