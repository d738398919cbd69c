// Every command of the CLI, walked from the commander program itself (not a list that can go stale):
// unknown flags, missing arguments and option values, values outside an option's choices or range each
// print one usage error that names the flag or argument, with a hint, no stack trace, and exit 2.
// The engine address points nowhere: a mistake that got past the checks would fail differently (exit 1).
import { PassThrough, Writable } from 'node:stream';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands, type OptionSpec } from '../../../src/cli/commands.js';
import type { CliContext } from '../../../src/cli/context.js';
import { buildFlags } from '../../../src/cli/commands/up.js';
import { buildProgram, globalOptions, parseArgv } from '../../../src/cli/program.js';
import { projectDir, tscompose } from '../../support/cli.js';

const dir = projectDir({ 'compose.yaml': 'services:\n  web:\n    image: debian:bookworm\n' });
const env = { DOCKER_HOST: 'unix:///nonexistent/tscompose-usage-test.sock' };

function walkProgram(): Command {
  const discard = new Writable({ write: (_c, _e, done) => done() });
  const ctx: CliContext = {
    argv: [],
    env: {},
    cwd: dir,
    stdin: new PassThrough(),
    stdout: discard,
    stderr: discard,
    signal: new AbortController().signal,
  };
  return buildProgram(ctx, () => undefined);
}

const program = walkProgram();
// `__complete` is the completion scripts' helper: it takes any words
const visible = program.commands.filter((c) => !c.name().startsWith('__'));

/** The spec an option was made from (its kind and range), found by its flags. */
function specOf(command: string | undefined, option: Option): OptionSpec | undefined {
  const specs = command ? (commands.find((c) => c.name === command)?.options ?? []) : globalOptions;
  return specs.find((s) => s.flags === option.flags);
}

/** Values an option must refuse, from what the program declares about it. */
function badValues(command: string | undefined, option: Option): string[] {
  const bad: string[] = [];
  if (option.argChoices) bad.push('nope');
  const spec = specOf(command, option);
  if (spec?.kind === 'int') {
    bad.push('abc', '1.5', '');
    if (spec.min !== undefined && !spec.also?.includes(spec.min - 1)) bad.push(String(spec.min - 1));
    if (spec.max !== undefined) bad.push(String(spec.max + 1));
  }
  return bad;
}

interface Case {
  argv: string[];
  /** What the message must name: the flag or the argument. */
  names: string;
}

const cases: Case[] = [];
for (const command of visible) {
  const name = command.name();
  cases.push({ argv: [name, '--no-such-flag'], names: '--no-such-flag' });
  // a command that takes no arguments, given one
  if (command.registeredArguments.length === 0) cases.push({ argv: [name, 'extra'], names: name });
  const required = command.registeredArguments.filter((a) => a.required);
  if (required.length > 0) cases.push({ argv: [name], names: required[0]!.name() });
  for (const option of command.options) {
    const flag = option.long ?? option.short!;
    // a flag that takes a value, given none
    if (option.required) cases.push({ argv: [name, flag], names: flag });
    for (const value of badValues(name, option))
      cases.push({ argv: [name, `${flag}=${value}`], names: flag });
  }
}
for (const option of program.options) {
  const flag = option.long!;
  if (flag === '--version') continue;
  // given last, with nothing after it
  if (option.required) cases.push({ argv: [flag], names: flag });
  for (const value of badValues(undefined, option))
    cases.push({ argv: [`${flag}=${value}`, 'config', '-q'], names: flag });
}
// values that only the command knows the form of
cases.push(
  { argv: ['logs', '--tail', 'abc'], names: '--tail' },
  { argv: ['logs', '--since', 'yesterday'], names: '--since' },
  { argv: ['logs', '--until', '5 minutes'], names: '--until' },
  { argv: ['up', '--scale', 'web'], names: '--scale' },
  { argv: ['create', '--scale', 'web=x'], names: '--scale' },
  { argv: ['kill', '-s', 'SIGNOPE'], names: '--signal' },
  { argv: ['run', '-e', '=x', 'web'], names: '-e' },
  { argv: ['run', '--label', 'novalue', 'web'], names: '--label' },
  { argv: ['completion', 'fish'], names: 'fish' },
  { argv: ['stack', 'nope'], names: 'nope' },
  { argv: ['up', '--build', '--no-build'], names: '--no-build' },
  { argv: ['nosuchcommand'], names: 'nosuchcommand' },
);

describe('usage errors', () => {
  it('the walk covers every command and the options with a value', () => {
    expect(visible.map((c) => c.name()).sort()).toEqual(
      commands
        .filter((c) => !c.hidden)
        .map((c) => c.name)
        .sort(),
    );
    // each command is tried at least with an unknown flag; most with more
    expect(cases.length).toBeGreaterThan(visible.length * 2);
  });

  it.each(cases.map((c) => [c.argv.join(' '), c] as const))(
    'tscompose %s: exit 2, names the flag, a hint, no stack',
    async (_, { argv, names }) => {
      const result = await tscompose(argv, { cwd: dir, env });
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(names);
      // a hint: commander's pointer to --help or a suggestion, or our "hint:" line
      expect(result.stderr).toMatch(/^hint: |\(run "tscompose|\(Did you mean/m);
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).not.toMatch(/TypeError|RangeError|ReferenceError/);
      expect(result.code).toBe(2);
    },
  );

  it.each([
    [[], { build: false, noBuild: false }],
    [['--build'], { build: true, noBuild: false }],
    [['--no-build'], { build: false, noBuild: true }],
  ])('up/create/deploy %j reach the app as %j', async (flags, expected) => {
    const discard = new Writable({ write: (_c, _e, done) => done() });
    const ctx: CliContext = {
      argv: [],
      env: {},
      cwd: dir,
      stdin: new PassThrough(),
      stdout: discard,
      stderr: discard,
      signal: new AbortController().signal,
    };
    for (const command of ['up', 'create', 'deploy']) {
      const parsed = await parseArgv(ctx, [command, ...flags]);
      expect(buildFlags(parsed!.options)).toEqual(expected);
    }
  });
});
