import { writeFileSync } from 'node:fs';
import { config, type ConfigOptions } from '../../app/config.js';
import { TsComposeError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { loaderIO, projectLoadOptions } from '../project-options.js';

interface ConfigFlags {
  format?: 'yaml' | 'json';
  quiet?: boolean;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  profiles?: boolean;
  images?: boolean;
  variables?: boolean;
  environment?: boolean;
  hash?: string;
  interpolate?: boolean;
  normalize?: boolean;
  pathResolution?: boolean;
  output?: string;
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as ConfigFlags;
  const load = projectLoadOptions(global, ctx.env);
  load.interpolate = flags.interpolate !== false;
  load.normalize = flags.normalize !== false;
  load.resolvePaths = flags.pathResolution !== false;
  const configOptions: ConfigOptions = {
    format: flags.format ?? 'yaml',
    quiet: flags.quiet,
    services: flags.services,
    volumes: flags.volumes,
    networks: flags.networks,
    profiles: flags.profiles,
    images: flags.images,
    variables: flags.variables,
    environment: flags.environment,
    hash: flags.hash,
    selected: args,
  };
  const { text, warnings } = await config(load, loaderIO(ctx), configOptions);
  for (const warning of warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (flags.output) {
    try {
      writeFileSync(flags.output, text);
    } catch (error) {
      throw new TsComposeError(`cannot write ${flags.output}: ${(error as Error).message}`, {
        code: 'cli.output',
      });
    }
  } else ctx.stdout.write(text);
};
