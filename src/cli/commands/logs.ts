import { projectLogs } from '../../app/logs.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { LogFormatter, logName, splitTimestamp } from '../../ui/log-prefix.js';
import type { CommandRun } from '../context.js';
import { useColor } from '../output.js';
import { openEngine, projectFromCli } from '../session.js';

interface LogsFlags {
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
  color?: boolean;
  logPrefix?: boolean;
}

export function parseTail(value: string | undefined): number | 'all' | undefined {
  if (value === undefined || value === 'all') return value;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw usageError(
      `--tail takes a number of lines or "all", not "${value}"`,
      'e.g. --tail 20, or --tail all',
    );
  return n;
}

/**
 * `--since` / `--until` as the engine reads them: a date (RFC 3339, `2024-01-31T10:00:00Z`), a Unix
 * time (`1706695200`, fractions allowed) or a duration back from now (`42m`, `1h30m`).
 */
export function checkTime(flag: string, value: string | undefined): void {
  if (value === undefined) return;
  const unix = /^\d+(\.\d+)?$/.test(value);
  const duration = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value);
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
  if (!unix && !duration && !date)
    throw usageError(
      `${flag} takes a date, a Unix time or a duration, not "${value}"`,
      `e.g. ${flag} 10m, ${flag} 2024-01-31T10:00:00Z, or ${flag} 1706695200`,
    );
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as LogsFlags;
  const tail = parseTail(flags.tail);
  checkTime('--since', flags.since);
  checkTime('--until', flags.until);
  const { name } = await projectFromCli(ctx, global);
  const engine = await openEngine(ctx);
  const formatter = new LogFormatter({
    color: useColor(ctx, global, 'stdout', flags.color === false),
    prefix: flags.logPrefix !== false,
    timestamps: !!flags.timestamps,
  });
  try {
    const containers = await projectLogs(
      engine,
      name,
      {
        services: args,
        follow: flags.follow,
        tail,
        since: flags.since,
        until: flags.until,
        timestamps: flags.timestamps,
        signal: ctx.signal,
        onEngineLost: (error) =>
          ctx.stderr.write(`${error.message}: the engine is gone; waiting for it to come back…\n`),
        onEngineBack: () => ctx.stderr.write('the engine is back; following the logs again\n'),
      },
      (line) => {
        const { timestamp, line: text } = flags.timestamps ? splitTimestamp(line.text) : { line: line.text };
        (line.stream === 'stderr' ? ctx.stdout : ctx.stdout).write(
          `${formatter.line(logName(line.container, name), text, timestamp)}\n`,
        );
      },
      (names) => names.forEach((n) => formatter.add(logName(n, name))),
    );
    if (containers.length === 0 && args.length)
      ctx.stderr.write(`no container found for service${args.length > 1 ? 's' : ''} ${args.join(', ')}\n`);
    return ctx.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
  } finally {
    engine.close();
  }
};
