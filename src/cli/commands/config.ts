import { writeFileSync } from 'node:fs';
import { config, type ConfigOptions } from '../../app/config.js';
import { TsComposeError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { loaderIO, projectLoadOptions } from '../project-options.js';

/** ConfigOptions as commander names them, and how to load the files and where to write. */
type ConfigFlags = Partial<Omit<ConfigOptions, 'selected'>> & {
  interpolate?: boolean;
  normalize?: boolean;
  pathResolution?: boolean;
  output?: string;
};

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const { interpolate, normalize, pathResolution, output, ...flags } = options as ConfigFlags;
  const load = projectLoadOptions(global, ctx.env);
  load.interpolate = interpolate !== false;
  load.normalize = normalize !== false;
  load.resolvePaths = pathResolution !== false;
  const configOptions: ConfigOptions = { ...flags, format: flags.format ?? 'yaml', selected: args };
  const { text, warnings } = await config(load, loaderIO(ctx), configOptions);
  for (const warning of warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (output) {
    try {
      writeFileSync(output, text);
    } catch (error) {
      throw new TsComposeError(`cannot write ${output}: ${(error as Error).message}`, {
        code: 'cli.output',
      });
    }
  } else ctx.stdout.write(text);
};
