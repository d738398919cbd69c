// What a command needs to write for people: the progress sink the flags and the terminal call for,
// whether to colour, and how wide the terminal is. Every command gets them here, so that
// `--progress`, `--ansi`, NO_COLOR and CI mean the same thing everywhere.
import { systemClock, type Clock } from '../core/clock.js';
import { formatRecords, type FormatOptions, type RecordValue } from '../ui/format-output.js';
import { createProgressSink, type ProgressSink } from '../ui/progress.js';
import { colorEnabled, resolveAnsi, resolveProgressMode, type AnsiOption } from '../ui/terminal.js';
import type { CliContext, GlobalOptions } from './context.js';

/**
 * The progress display for this run, on stderr as Compose does (stdout stays for data). Close it
 * before writing anything else, e.g. the logs of an attached `up`.
 */
export function openProgress(
  ctx: CliContext,
  global: GlobalOptions,
  clock: Clock = systemClock,
): Promise<ProgressSink> {
  const facts = { env: ctx.env, isTTY: ctx.stderr.isTTY === true };
  const mode = resolveProgressMode({ ...facts, progress: global.progress, ansi: global.ansi });
  return createProgressSink(mode, {
    stream: ctx.stderr,
    otherStream: ctx.stdout,
    color: colorEnabled({ ...facts, ansi: global.ansi }),
    clock,
  });
}

/** Whether to colour what goes to `stream`; `noColor` is a command's own `--no-color`. */
export function useColor(
  ctx: CliContext,
  global: Pick<GlobalOptions, 'ansi'>,
  stream: 'stdout' | 'stderr' = 'stdout',
  noColor?: boolean,
): boolean {
  return colorEnabled({ env: ctx.env, isTTY: ctx[stream].isTTY === true, ansi: global.ansi, noColor });
}

/** The terminal's width for tables, or undefined when stdout is not a terminal (nothing is cut). */
export function terminalWidth(ctx: CliContext): number | undefined {
  return ctx.stdout.isTTY ? (ctx.stdout.columns ?? 80) : undefined;
}

/** A listing (ps, images, ls, stack) on stdout as `--format` asks, its table fitted to the terminal. */
export function writeRecords<R extends RecordValue>(
  ctx: CliContext,
  records: readonly R[],
  options: Omit<FormatOptions<R>, 'width'>,
): void {
  ctx.stdout.write(formatRecords(records, { ...options, width: terminalWidth(ctx) }));
}

/**
 * `--ansi` as written in argv, for when parsing failed and the parsed options are not there (the
 * error report still honours it).
 */
export function ansiFromArgv(argv: readonly string[], env: CliContext['env']): AnsiOption {
  let flag: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--ansi') flag = argv[i + 1];
    else if (arg.startsWith('--ansi=')) flag = arg.slice('--ansi='.length);
  });
  const valid = flag === 'auto' || flag === 'never' || flag === 'always' ? flag : undefined;
  return resolveAnsi(valid, env);
}
