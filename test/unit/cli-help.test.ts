// Help is part of every command: these checks hold for the commands that exist today and for every
// one added to src/cli/commands.ts later.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import type { CliContext } from '../../src/cli/context.js';
import { parseArgv } from '../../src/cli/program.js';
import { isTsComposeError } from '../../src/core/errors.js';

function context() {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const ctx: CliContext = {
    argv: [],
    env: {},
    cwd: '/',
    stdin: new PassThrough(),
    stdout: Object.assign(
      sink((s) => (out += s)),
      { columns: 100 },
    ),
    stderr: sink((s) => (err += s)),
    signal: new AbortController().signal,
  };
  return { ctx, out: () => out, err: () => err };
}

async function usageFailure(argv: string[]) {
  const { ctx, err } = context();
  const error = await parseArgv(ctx, argv).catch((e: unknown) => e);
  return { exitCode: isTsComposeError(error) ? error.exitCode : undefined, stderr: err() };
}

const visible = commands.filter((c) => !c.hidden);

describe('help', () => {
  it.each(visible.map((c) => [c.name, c] as const))(
    '%s has a summary, described options and real examples',
    (name, spec) => {
      expect(spec.summary.length, 'summary').toBeGreaterThan(10);
      expect(spec.summary, 'one line').not.toContain('\n');
      for (const option of spec.options ?? []) expect(option.description, option.flags).not.toBe('');
      expect(spec.examples?.length ?? 0, 'two or three examples').toBeGreaterThanOrEqual(2);
      for (const example of spec.examples ?? [])
        expect(example, 'examples run this command').toMatch(new RegExp(`tscompose .*\\b${name}\\b`));
    },
  );

  it.each(visible.map((c) => [c.name] as const))(
    'tscompose %s --help prints its usage, options and examples',
    async (name) => {
      const { ctx, out } = context();
      expect(await parseArgv(ctx, [name, '--help'])).toBeUndefined();
      expect(out()).toMatch(new RegExp(`^Usage: tscompose ${name} `));
      expect(out()).toContain('Options:');
      expect(out()).toMatch(/Examples:\n {2}\$ .*tscompose/);
      expect(out()).toContain('Global options (-f, -p');
    },
  );

  it('lists every visible command when called alone, and hides the completion helper', async () => {
    const { ctx, out } = context();
    expect(await parseArgv(ctx, [])).toBeUndefined();
    expect(out()).toMatch(/^Usage: tscompose \[OPTIONS\] COMMAND\n/);
    for (const spec of visible)
      expect(out()).toMatch(new RegExp(`\\n  ${spec.name}\\b.*${spec.summary.slice(0, 20)}`));
    expect(out()).not.toContain('__complete');
  });

  it('`tscompose help COMMAND` is help, not an error', async () => {
    const { ctx, out } = context();
    expect(await parseArgv(ctx, ['help', 'version'])).toBeUndefined();
    expect(out()).toContain('Usage: tscompose version');
  });
});

describe('usage errors', () => {
  it('suggest the closest command and exit 2', async () => {
    const { exitCode, stderr } = await usageFailure(['confg']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("unknown command 'confg'");
    expect(stderr).toContain('Did you mean config?');
    expect(stderr).toContain('tscompose --help');
  });

  it('suggest the closest option of the command and exit 2', async () => {
    const { exitCode, stderr } = await usageFailure(['config', '--servics']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Did you mean --services?');
    expect(stderr).toContain('tscompose config --help');
  });

  it('name the allowed values of an option and exit 2', async () => {
    const { exitCode, stderr } = await usageFailure(['--progress', 'fancy', 'version']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Allowed choices are auto, tty, plain, json, quiet');
  });
});
