import type { ReadStream } from 'node:tty';
import { execInService } from '../../app/run.js';
import { usageError } from '../../core/errors.js';
import type { CliContext, CommandRun } from '../context.js';
import { openEngine, projectFromCli } from '../session.js';

interface ExecFlags {
  tty?: boolean;
  env?: string[];
  user?: string;
  workdir?: string;
  index?: number;
  privileged?: boolean;
  interactive?: boolean;
  detach?: boolean;
}

/** A terminal when both ends are one and -T was not given; stdin goes raw for the command's time. */
export function terminal(ctx: CliContext, wanted: boolean) {
  const stdin = ctx.stdin as Partial<ReadStream>;
  const tty = wanted && stdin.isTTY === true && ctx.stdout.isTTY === true;
  const size =
    tty && ctx.stdout.columns
      ? { rows: (ctx.stdout as { rows?: number }).rows ?? 24, columns: ctx.stdout.columns }
      : undefined;
  return {
    tty,
    size,
    raw<T>(work: () => Promise<T>): Promise<T> {
      if (!tty || !stdin.setRawMode) return work();
      stdin.setRawMode(true);
      return work().finally(() => {
        stdin.setRawMode?.(false);
        ctx.stdin.pause();
      });
    },
  };
}

/** `exec SERVICE COMMAND...`: its exit code is ours. */
export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as ExecFlags;
  const [service, ...command] = args;
  if (!service || command.length === 0)
    throw usageError('exec needs a service and a command', 'tscompose exec web sh');
  const { name } = await projectFromCli(ctx, global);
  const engine = await openEngine(ctx);
  const term = terminal(ctx, flags.tty !== false && !flags.detach);
  try {
    return await term.raw(() =>
      execInService(
        engine,
        name,
        {
          service,
          command,
          index: flags.index,
          user: flags.user,
          workdir: flags.workdir,
          env: flags.env,
          privileged: flags.privileged,
          tty: term.tty,
          interactive: flags.interactive !== false && !flags.detach,
          signal: ctx.signal,
        },
        { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, size: term.size },
      ),
    );
  } finally {
    engine.close();
  }
};
