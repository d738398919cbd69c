import type { CommandRun } from '../context.js';
import { tscomposeVersion } from '../version.js';

export const run: CommandRun = async (ctx, { options }) => {
  if (options.short) {
    ctx.stdout.write(`${tscomposeVersion}\n`);
    return;
  }
  if (options.format === 'json') ctx.stdout.write(`${JSON.stringify({ version: tscomposeVersion })}\n`);
  else ctx.stdout.write(`tscompose version ${tscomposeVersion}\n`);
};
