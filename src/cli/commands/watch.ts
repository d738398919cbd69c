import { existsSync } from 'node:fs';
import type { LoadedProject } from '../../app/compose-service.js';
import { watchProject, type WatchOptions } from '../../app/watch.js';
import { ExitCode, usageError } from '../../core/errors.js';
import { formatWatchEvent, type WatchEvent } from '../../watch/events.js';
import type { CliContext, CommandRun, GlobalOptions } from '../context.js';
import { loadFromCli, openSession, type Session } from '../session.js';
import { tscomposeVersion } from '../version.js';

interface WatchFlags {
  up?: boolean;
  buildContext?: boolean;
  resync?: boolean;
  delay?: number;
  quiet?: boolean;
  prune?: boolean;
}

/** Watch lines on stdout (JSON lines with --progress json); warnings on stderr. */
function watchReporter(ctx: CliContext, global: GlobalOptions, root: string) {
  return (event: WatchEvent) => {
    if (global.progress === 'json') {
      ctx.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const line = formatWatchEvent(event, root);
    if (line === undefined) return;
    (event.type === 'warning' ? ctx.stderr : ctx.stdout).write(`${line}\n`);
  };
}

/** Runs the watch of a loaded project with an open session; shared by `watch` and `up --watch`. */
export async function runWatch(
  ctx: CliContext,
  global: GlobalOptions,
  session: Session,
  loaded: LoadedProject,
  options: WatchOptions,
  signal: AbortSignal = ctx.signal,
): Promise<void> {
  await watchProject(loaded, options, {
    engine: session.engine,
    progress: session.progress,
    report: watchReporter(ctx, global, loaded.source.workingDir),
    reload: () => loadFromCli(ctx, global),
    signal,
    version: tscomposeVersion,
    pathExists: existsSync,
    afterUp: () => session.finishProgress(),
  });
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as WatchFlags;
  if (flags.delay !== undefined && (flags.delay < 0 || flags.delay > 60_000))
    throw usageError(`--delay takes milliseconds between 0 and 60000, not ${flags.delay}`);
  if (global.dryRun) throw usageError('watch has no --dry-run: it changes containers as files change');
  const loaded = await loadFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    await runWatch(ctx, global, session, loaded, {
      services: args,
      noUp: flags.up === false,
      buildContext: flags.buildContext === true,
      resync: flags.resync === true,
      quiet: flags.quiet === true,
      prune: flags.prune === true,
      ...(flags.delay !== undefined ? { delayMs: flags.delay } : {}),
    });
  } finally {
    await session.close();
  }
  // Ctrl-C is how a watch ends: no error to show, and 130 as Compose (and shells) say it
  ctx.stderr.write('Watch stopped\n');
  return ExitCode.interrupted;
};
