import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../../src/cli/program.js';
import type { CliContext } from '../../src/cli/context.js';
import { isTsComposeError } from '../../src/core/errors.js';

function fakeContext() {
  let out = '';
  let err = '';
  const collector = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const stdout = collector((s) => (out += s));
  const stderr = collector((s) => (err += s));
  const ctx: CliContext = {
    argv: [],
    env: {},
    cwd: '/',
    stdin: new PassThrough(),
    stdout,
    stderr,
    signal: new AbortController().signal,
  };
  return { ctx, out: () => out, err: () => err };
}

describe('argv parsing', () => {
  it('lists the commands when called alone', async () => {
    const { ctx, out } = fakeContext();
    expect(await parseArgv(ctx, [])).toBeUndefined();
    expect(out()).toContain('Commands:');
    expect(out()).toContain('version');
  });

  it('takes global options before the command', async () => {
    const { ctx } = fakeContext();
    const parsed = await parseArgv(ctx, ['-f', 'a.yaml', '-f', 'b.yaml', '-p', 'demo', 'version', '--short']);
    expect(parsed?.spec.name).toBe('version');
    expect(parsed?.global).toMatchObject({ file: ['a.yaml', 'b.yaml'], projectName: 'demo' });
    expect(parsed?.options).toMatchObject({ short: true });
  });

  it('suggests the closest command and exits 2 on an unknown one', async () => {
    const { ctx, err } = fakeContext();
    const error = await parseArgv(ctx, ['versoin']).catch((e: unknown) => e);
    expect(isTsComposeError(error) && error.exitCode).toBe(2);
    expect(err()).toContain('Did you mean version?');
  });

  it('rejects an unknown flag with exit 2', async () => {
    const { ctx, err } = fakeContext();
    const error = await parseArgv(ctx, ['version', '--shrt']).catch((e: unknown) => e);
    expect(isTsComposeError(error) && error.exitCode).toBe(2);
    expect(err()).toContain('--short');
  });
});
