import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

export const run: CommandRun = (ctx, { args, global }) =>
  withProject(ctx, global, async ({ compose }, { name }) => {
    await compose.start(name, { services: args });
  });
