#!/usr/bin/env node
// The one place that touches `process`: builds the context, runs the command, sets the exit code.
import { ExitCode } from '../core/errors.js';
import type { CliContext } from './context.js';
import { ansiFromArgv, useColor } from './output.js';
import { parseArgv } from './program.js';
import { reportError } from './report-error.js';

async function main(): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) controller.abort(signal);
    // a second Ctrl-C goes to the command that asked for it (attached up kills), else leaves at once
    else if (interrupts === 2 && ctx.onSecondInterrupt) ctx.onSecondInterrupt();
    else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // output piped into a reader that stopped (`tscompose logs | head`): stop quietly, as Compose does
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(ExitCode.ok);
      throw error;
    });

  const ctx: CliContext = {
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    // process.stdin builds a stream (and loads its modules) when first read: only commands that read it pay
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  };
  const verbose = ctx.argv.includes('--verbose') || process.env.TSCOMPOSE_DEBUG === '1';
  try {
    const parsed = await parseArgv(ctx, ctx.argv);
    if (!parsed) return ExitCode.ok;
    const { run } = await parsed.spec.load();
    const code = await run(ctx, { args: parsed.args, options: parsed.options, global: parsed.global });
    return code ?? ExitCode.ok;
  } catch (error) {
    const color = useColor(
      ctx,
      { ansi: ansiFromArgv(ctx.argv, ctx.env) },
      'stderr',
      ctx.argv.includes('--no-color'),
    );
    return reportError(error, (text) => process.stderr.write(text), { verbose, color });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = ExitCode.failure;
  },
);
