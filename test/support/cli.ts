// Runs the tscompose CLI in this process, as main.ts does, with its own streams and environment:
// what a user would see (stdout, stderr, exit code) without building dist/ first.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { parseArgv } from '../../src/cli/program.js';
import { reportError } from '../../src/cli/report-error.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  stdin?: string;
  signal?: AbortSignal;
  /** Sees the output as it is written, for tests that act while the command runs. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export async function tscompose(args: string[], options: CliOptions): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const ctx: CliContext = {
    argv: args,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...options.env },
    cwd: options.cwd,
    stdin,
    stdout: sink((s) => {
      stdout += s;
      options.onOutput?.('stdout', s);
    }),
    stderr: sink((s) => {
      stderr += s;
      options.onOutput?.('stderr', s);
    }),
    signal: options.signal ?? new AbortController().signal,
  };
  let code: number;
  try {
    const parsed = await parseArgv(ctx, args);
    if (!parsed) code = 0;
    else {
      const { run } = await parsed.spec.load();
      code = (await run(ctx, { args: parsed.args, options: parsed.options, global: parsed.global })) ?? 0;
    }
  } catch (error) {
    code = reportError(error, (text) => (stderr += text), { verbose: false, color: false });
  }
  return { code, stdout, stderr };
}

const made: string[] = [];
// the directories go with the test file that made them
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding `compose.yaml` (and any other files given, in subdirectories too), for one test. */
export function projectDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-test-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
