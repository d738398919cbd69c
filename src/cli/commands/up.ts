import { InterruptedError, usageError } from '../../core/errors.js';
import { selectedServices } from '../../reconcile/plan.js';
import type { UpOptions } from '../../app/compose-service.js';
import type { CommandRun, GlobalOptions } from '../context.js';
import { loadFromCli, openSession } from '../session.js';
import { attachToProject, stopGracefully } from '../attached.js';
import { useColor } from '../output.js';
import { reportError } from '../report-error.js';
import { runWatch } from './watch.js';

export interface UpFlags {
  detach?: boolean;
  /**
   * `--build` true, `--build=changed`, a service name that commander took as the value of `--build`,
   * or `--no-build` false (commander keeps the pair under one key; both: a usage error).
   */
  build?: boolean | string;
  pull?: 'always' | 'missing' | 'never';
  forceRecreate?: boolean;
  recreate?: boolean;
  deps?: boolean;
  removeOrphans?: boolean;
  wait?: boolean;
  waitTimeout?: number;
  abortOnContainerExit?: boolean;
  exitCodeFrom?: string;
  scale?: string[];
  timeout?: number;
  start?: boolean;
  color?: boolean;
  logPrefix?: boolean;
  timestamps?: boolean;
  watch?: boolean;
}

/** `--build` / `--no-build` as the app layer takes them. */
export function buildFlags(flags: { build?: boolean }): { build: boolean; noBuild: boolean } {
  return { build: flags.build === true, noBuild: flags.build === false };
}

/** `--scale web=3` (repeatable) → { web: 3 }. */
export function parseScale(values: string[] | undefined): Record<string, number> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, number> = {};
  for (const value of values) {
    const m = /^([^=]+)=(\d+)$/.exec(value);
    if (!m) throw usageError(`--scale takes SERVICE=NUMBER, not "${value}"`, 'e.g. --scale web=3');
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/**
 * `--build` takes an optional value, `changed`; any other word after `--build` is a service, as in
 * `up --build web`.
 */
export function buildFlag(
  build: UpFlags['build'],
  args: string[],
): { build: boolean; buildChanged: boolean; noBuild: boolean; services: string[] } {
  if (build === 'changed') return { build: false, buildChanged: true, noBuild: false, services: args };
  if (typeof build === 'string')
    return { build: true, buildChanged: false, noBuild: false, services: [build, ...args] };
  return { build: build === true, buildChanged: false, noBuild: build === false, services: args };
}

/** What up and create ask of the use case, from their flags and words (create has no start or wait). */
export function upOptions(flags: UpFlags, words: string[], global: GlobalOptions): UpOptions {
  return {
    ...buildFlag(flags.build, words),
    noDeps: flags.deps === false,
    pull: flags.pull,
    forceRecreate: flags.forceRecreate,
    noRecreate: flags.recreate === false,
    removeOrphans: flags.removeOrphans,
    wait: flags.wait,
    waitTimeoutSeconds: flags.waitTimeout,
    scale: parseScale(flags.scale),
    timeoutSeconds: flags.timeout,
    start: flags.start !== false,
    dryRun: global.dryRun,
  };
}

export const run: CommandRun = async (ctx, { args: words, options, global }) => {
  const flags = options as UpFlags;
  const up = upOptions(flags, words, global);
  const args = up.services ?? [];
  if (flags.forceRecreate && flags.recreate === false)
    throw usageError('--force-recreate and --no-recreate cannot be combined', 'keep one of them');
  if (flags.exitCodeFrom) flags.abortOnContainerExit = true;
  if (flags.detach && flags.abortOnContainerExit)
    throw usageError(
      '--abort-on-container-exit and --exit-code-from cannot be combined with --detach',
      'drop -d (or --wait) to follow the containers, or drop the other flag',
    );
  const since = Math.floor(Date.now() / 1000);
  const loaded = await loadFromCli(ctx, global);
  if (flags.exitCodeFrom && !loaded.project.services[flags.exitCodeFrom])
    throw usageError(
      `--exit-code-from: no such service: ${flags.exitCodeFrom}`,
      `services: ${Object.keys(loaded.project.services).join(', ')}`,
    );
  const session = await openSession(ctx, global);
  const attached = !flags.detach && !flags.wait && flags.start !== false && !global.dryRun;
  try {
    const result = await session.compose.up(loaded, up).catch(async (error: unknown) => {
      // Ctrl-C while an attached up starts things: what it started is stopped, as after the logs
      if (attached && error instanceof InterruptedError) {
        await session.finishProgress();
        ctx.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
        const { chosen } = selectedServices(loaded.project, args, flags.deps === false);
        await stopGracefully(ctx, session.engine, loaded.project.name, [...chosen], flags.timeout);
      }
      throw error;
    });
    await session.finishProgress();
    if (global.dryRun) {
      ctx.stdout.write(result.text);
      return;
    }
    const watchOptions = { services: args, noUp: true };
    if (flags.watch && flags.start !== false && (flags.detach || flags.wait))
      return await runWatch(ctx, global, session, loaded, watchOptions);
    if (flags.detach || flags.wait || flags.start === false) return;
    // attached with --watch: the logs and the watch side by side; the watch ends with the logs
    const watchStop = new AbortController();
    const watching = flags.watch
      ? runWatch(
          ctx,
          global,
          session,
          loaded,
          watchOptions,
          AbortSignal.any([ctx.signal, watchStop.signal]),
        ).catch((error: unknown) => {
          reportError(error, (text) => ctx.stderr.write(text), {
            verbose: global.verbose === true,
            color: false,
          });
        })
      : undefined;
    try {
      return await attachToProject(ctx, session, loaded, {
        services: args,
        noDeps: flags.deps === false,
        since,
        abortOnContainerExit: flags.abortOnContainerExit,
        exitCodeFrom: flags.exitCodeFrom,
        timeoutSeconds: flags.timeout,
        color: useColor(ctx, global, 'stdout', flags.color === false),
        prefix: flags.logPrefix !== false,
        timestamps: flags.timestamps,
      });
    } finally {
      watchStop.abort();
      await watching;
    }
  } finally {
    await session.close();
  }
};
