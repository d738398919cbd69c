import { Command, CommanderError, Option } from 'commander';
import { ExitCode, usageError } from '../core/errors.js';
import { commands, type CommandSpec, type OptionSpec } from './commands.js';
import type { CliContext, GlobalOptions } from './context.js';
import { tscomposeVersion } from './version.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const parseInt10 = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw usageError(`"${value}" is not a whole number`);
  return n;
};

/** Options of Compose's root command, accepted before the command name. */
export const globalOptions: OptionSpec[] = [
  { flags: '-f, --file <file>', description: 'compose file (repeatable; - reads stdin)', kind: 'list' },
  { flags: '-p, --project-name <name>', description: 'project name' },
  {
    flags: '--project-directory <dir>',
    description: 'working directory of the project (default: the first file’s)',
  },
  { flags: '--profile <profile>', description: 'enable a profile (repeatable)', kind: 'list' },
  { flags: '--env-file <file>', description: 'environment file instead of .env (repeatable)', kind: 'list' },
  { flags: '--parallel <n>', description: 'at most n engine operations at once (-1: no limit)', kind: 'int' },
  {
    flags: '--progress <mode>',
    description: 'progress output',
    choices: ['auto', 'tty', 'plain', 'json', 'quiet'],
  },
  {
    flags: '--ansi <when>',
    description: 'control characters in output',
    choices: ['auto', 'never', 'always'],
  },
  { flags: '--dry-run', description: 'show what would be done, change nothing' },
  { flags: '--verbose', description: 'show stack traces and engine calls' },
];

/** What the completion scripts call on TAB; hidden from help, given the specs it completes from. */
const completeSpec: CommandSpec = {
  name: '__complete',
  summary: 'Complete the words after "tscompose" (used by the completion scripts)',
  args: '[WORD...]',
  hidden: true,
  passThrough: true,
  load: async () => ({ run: (await import('./commands/complete.js')).completeWith(commands, globalOptions) }),
};

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.kind === 'list') option.argParser(collect);
  if (spec.kind === 'int') option.argParser(parseInt10);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.hidden) option.hideHelp();
  return option;
}

function examplesHelp(spec: CommandSpec): string {
  if (!spec.examples?.length) return '';
  return `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n`;
}

const globalOptionsNote =
  '\nGlobal options (-f, -p, --profile, --env-file, --progress, --ansi, ...) go before the command:\n' +
  'see "tscompose --help".\n';

export interface ParsedCommand {
  spec: CommandSpec;
  args: string[];
  options: Record<string, unknown>;
  global: GlobalOptions;
}

/**
 * Parses argv into the command to run. Help and version are written to ctx and yield undefined.
 * Usage errors throw a TsComposeError with exit code 2 (commander suggests the closest name).
 */
export async function parseArgv(ctx: CliContext, argv: string[]): Promise<ParsedCommand | undefined> {
  let chosen: ParsedCommand | undefined;
  const program = new Command('tscompose')
    .description('Define and run multi-container applications, compatible with Docker Compose')
    .version(tscomposeVersion, '-v, --version', 'print the version')
    .enablePositionalOptions()
    .usage('[OPTIONS] COMMAND')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "tscompose --help" for the commands and their options)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      getOutHelpWidth: () => ctx.stdout.columns ?? 100,
      getErrHelpWidth: () => ctx.stderr.columns ?? 100,
    })
    .addHelpText(
      'after',
      '\nRun "tscompose COMMAND --help" for a command\'s options and examples,\n' +
        'and "tscompose completion bash|zsh" for shell completion.\n',
    );
  for (const spec of globalOptions) program.addOption(toOption(spec));

  for (const spec of [...commands, completeSpec]) {
    const command = program
      .command(spec.name, { hidden: spec.hidden === true })
      .summary(spec.summary)
      .description(spec.description ?? spec.summary)
      .allowExcessArguments(true)
      .showHelpAfterError(`(run "tscompose ${spec.name} --help" for its options and examples)`)
      .exitOverride()
      .addHelpText('after', examplesHelp(spec) + (spec.hidden ? '' : globalOptionsNote));
    if (spec.args) command.arguments(spec.args);
    if (spec.passThrough) command.passThroughOptions();
    for (const option of spec.options ?? []) command.addOption(toOption(option));
    command.action((...actionArgs: unknown[]) => {
      const cmd = actionArgs[actionArgs.length - 1] as Command;
      chosen = { spec, args: cmd.args, options: cmd.opts(), global: program.opts<GlobalOptions>() };
    });
  }

  if (argv.length === 0) {
    // `tscompose` alone: the command list, on stdout
    program.outputHelp();
    return undefined;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, `help COMMAND` and --version wrote what was asked
      if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code))
        return undefined;
      // commander already printed its message (with a suggestion where it has one)
      throw Object.assign(usageError(error.message.replace(/^error: /, '')), { alreadyReported: true });
    }
    throw error;
  }
  return chosen;
}

export { ExitCode };
