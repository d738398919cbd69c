import { streamLogs } from '../app/logs.js';
import type { LoadedProject } from '../app/compose-service.js';
import { ComposeService } from '../app/compose-service.js';
import { ExitCode } from '../core/errors.js';
import { isOneOff, Label, projectFilter } from '../reconcile/labels.js';
import { selectedServices } from '../reconcile/plan.js';
import { createPlainProgress } from '../ui/plain-progress.js';
import { LogFormatter, logName } from '../ui/log-prefix.js';
import type { Engine } from '../engine/engine.js';
import type { CliContext } from './context.js';
import type { Session } from './session.js';
import { tscomposeVersion } from './version.js';

export interface AttachOptions {
  services: string[];
  noDeps?: boolean;
  abortOnContainerExit?: boolean;
  exitCodeFrom?: string;
  timeoutSeconds?: number;
  color: boolean;
  prefix: boolean;
  timestamps?: boolean;
  /** Unix seconds: show output from this moment (when `up` began). */
  since: number;
}

/**
 * Attached `up`: the output of every service, prefixed with its container's name, until all
 * containers have stopped. Ctrl-C stops them gracefully (a second Ctrl-C kills them);
 * --abort-on-container-exit stops everything when one container exits.
 */
export async function attachToProject(
  ctx: CliContext,
  session: Session,
  { project }: LoadedProject,
  options: AttachOptions,
): Promise<number> {
  const { engine } = session;
  const { chosen } = selectedServices(project, options.services, options.noDeps);
  const attached = (await engine.listContainers({ ...projectFilter(project.name), all: false })).filter(
    (c) =>
      !isOneOff(c.labels) &&
      chosen.has(c.labels[Label.service] ?? '') &&
      project.services[c.labels[Label.service] ?? '']?.attach !== false,
  );
  const names = attached.map((c) => c.name).sort();
  // log lines carry Compose's short names (`web-1`), padded and coloured per container
  const short = (name: string) => logName(name, project.name);
  const format = new LogFormatter(
    // the engine already starts each line with its timestamp when asked for one
    { color: options.color, prefix: options.prefix, timestamps: false },
    names.map(short),
  );
  const write = (text: string) => ctx.stdout.write(text);
  await session.finishProgress();
  write(`${format.attaching(names.map(short))}\n`);

  const streams = new AbortController();
  const events = await engine.followEvents({
    type: ['container'],
    event: ['die', 'start'],
    ...projectFilter(project.name),
  });
  const running = new Set(names);
  let firstExit: { name: string; service: string; code: number } | undefined;
  let serviceExit: number | undefined;

  const finished = new Promise<'exited' | 'abort' | 'interrupt'>((resolve) => {
    const onInterrupt = () => resolve('interrupt');
    if (ctx.signal.aborted) onInterrupt();
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    void (async () => {
      for await (const event of events) {
        const name = event.attributes.name ?? '';
        if (!names.includes(name)) continue;
        if (event.action === 'start') {
          running.add(name);
          continue;
        }
        const code = Number(event.attributes.exitCode ?? 0);
        running.delete(name);
        const service = event.attributes[Label.service] ?? '';
        firstExit ??= { name, service, code };
        if (service === options.exitCodeFrom && serviceExit === undefined) serviceExit = code;
        write(`${format.exited(short(name), code)}\n`);
        if (options.abortOnContainerExit) return resolve('abort');
        if (running.size === 0) return resolve('exited');
      }
    })();
  });

  const logs = streamLogs(
    engine,
    attached,
    { follow: true, since: String(options.since), timestamps: options.timestamps, signal: streams.signal },
    (line) => write(`${format.line(short(line.container), line.text)}\n`),
  ).catch(() => undefined);

  const outcome = await finished;
  events.close();
  if (outcome === 'exited') {
    await logs;
    return ExitCode.ok;
  }

  // Ctrl-C or an exit with --abort-on-container-exit: stop everything gracefully (Ctrl-C again kills)
  write(
    outcome === 'abort'
      ? 'Aborting on container exit...\n'
      : 'Gracefully stopping... (press Ctrl+C again to force)\n',
  );
  try {
    await stopGracefully(ctx, engine, project.name, [...chosen], options.timeoutSeconds);
  } finally {
    streams.abort();
    await logs;
    await session.finishProgress();
  }
  if (outcome === 'interrupt') return ExitCode.interrupted;
  if (options.exitCodeFrom) {
    if (serviceExit !== undefined) return serviceExit;
    // it was stopped with the others: its exit code is the one the stop gave it
    const own = attached.find((c) => c.labels[Label.service] === options.exitCodeFrom);
    return own ? (await engine.inspectContainer(own.id)).state.exitCode : ExitCode.failure;
  }
  return firstExit?.code ?? ExitCode.ok;
}

/**
 * Stops the services' containers after Ctrl-C (or an exit under --abort-on-container-exit), dependents
 * first; a second Ctrl-C kills them instead. Progress goes out as plain lines, under the logs.
 */
export async function stopGracefully(
  ctx: CliContext,
  engine: Engine,
  project: string,
  services: string[],
  timeoutSeconds: number | undefined,
): Promise<void> {
  const force = new AbortController();
  ctx.onSecondInterrupt = () => force.abort();
  const progress = createPlainProgress({ stream: ctx.stderr });
  const compose = (signal?: AbortSignal) =>
    new ComposeService({ engine, progress: (e) => progress.emit(e), signal, version: tscomposeVersion });
  try {
    await compose(force.signal).stop(project, undefined, { services, timeoutSeconds });
  } catch (error) {
    if (!force.signal.aborted) throw error;
    await compose().kill(project, { services });
  } finally {
    ctx.onSecondInterrupt = undefined;
  }
}
