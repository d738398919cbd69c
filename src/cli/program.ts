import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ExitCode, usageError } from '../core/errors.js';
import { commands, type CommandSpec, type OptionSpec } from './commands.js';
import type { CliContext, GlobalOptions } from './context.js';
import { tscomposeVersion } from './version.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const collectChoice = (choices: string[]) => (value: string, previous: string[] | undefined) => {
  if (!choices.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
  return collect(value, previous);
};

/** A whole number within the option's range; commander names the option and the value when it throws. */
const intArg = (spec: OptionSpec) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('It takes a whole number.');
  if (spec.also?.includes(n)) return n;
  const { min, max } = spec;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range =
      max === undefined ? `${min} or more` : min === undefined ? `${max} or less` : `from ${min} to ${max}`;
    const also = spec.also?.length ? ` (or ${spec.also.join(', ')})` : '';
    throw new InvalidArgumentError(`It takes a whole number ${range}${also}.`);
  }
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
  {
    flags: '--parallel <n>',
    description: 'at most n engine operations at once (-1: no limit)',
    kind: 'int',
    min: 1,
    also: [-1],
  },
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
  // a parser of its own replaces commander's check of the choices: a list checks them itself
  if (spec.kind === 'list') option.argParser(spec.choices ? collectChoice(spec.choices) : collect);
  if (spec.kind === 'int') option.argParser(intArg(spec));
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
  const program = buildProgram(ctx, (parsed) => (chosen = parsed));
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

/**
 * The commander program: every command with its options and arguments (tests walk it), writing to
 * ctx; `choose` receives the command the command line names, once parsed.
 */
export function buildProgram(ctx: CliContext, choose: (parsed: ParsedCommand) => void): Command {
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
      // a command without arguments refuses them: `down web` must not take the whole project down
      .allowExcessArguments(spec.args !== undefined)
      .showHelpAfterError(`(run "tscompose ${spec.name} --help" for its options and examples)`)
      .exitOverride()
      .addHelpText('after', examplesHelp(spec) + (spec.hidden ? '' : globalOptionsNote));
    if (spec.args) command.arguments(spec.args);
    if (spec.passThrough) command.passThroughOptions();
    // `--build --no-build`: commander lets the last one win; Compose refuses the pair
    const seen = new Set<string>();
    for (const option of spec.options ?? []) {
      const made = toOption(option);
      command.addOption(made);
      command.on(`option:${made.name()}`, () => seen.add(made.name()));
    }
    command.action((...actionArgs: unknown[]) => {
      const cmd = actionArgs[actionArgs.length - 1] as Command;
      for (const name of seen)
        if (name.startsWith('no-') && seen.has(name.slice(3)))
          cmd.error(`error: --${name.slice(3)} and --${name} cannot be combined`, {
            code: 'tscompose.conflicting-options',
            exitCode: ExitCode.usage,
          });
      choose({ spec, args: cmd.args, options: cmd.opts(), global: program.opts<GlobalOptions>() });
    });
  }
  return program;
}

export { ExitCode };
