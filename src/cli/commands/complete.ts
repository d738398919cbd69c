// `tscompose __complete -- WORDS...`: what the completion scripts call on TAB. It never fails
// loudly: a broken compose file or an unknown word just means fewer candidates.
import { loadProject } from '../../compose/load.js';
import type { CommandSpec, OptionSpec } from '../commands.js';
import { complete, formatCandidates } from '../completion.js';
import type { CliContext, CommandRun, GlobalOptions } from '../context.js';
import { loaderIO, projectLoadOptions } from '../project-options.js';

/** Every service of the project the typed global options select, profiles or not; [] on any error. */
export async function projectServices(ctx: CliContext, global: GlobalOptions): Promise<string[]> {
  try {
    const { project } = await loadProject(projectLoadOptions(global, ctx.env), loaderIO(ctx));
    return [...Object.keys(project.services), ...Object.keys(project.disabled_services ?? {})].sort();
  } catch {
    return [];
  }
}

/** The command, given the specs to complete from (program.ts passes them: they import this file). */
export function completeWith(
  commands: readonly CommandSpec[],
  globalOptions: readonly OptionSpec[],
): CommandRun {
  return async (ctx, { args }) => {
    const words = args[0] === '--' ? args.slice(1) : args;
    const candidates = await complete(words, {
      commands,
      globalOptions,
      services: (global) => projectServices(ctx, global),
    });
    ctx.stdout.write(formatCandidates(candidates));
  };
}
