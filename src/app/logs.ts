import { sleep } from '../core/abort.js';
import { isEngineGone, TsComposeError } from '../core/errors.js';
import type { ContainerSummary, Engine } from '../engine/engine.js';
import { isOneOff, Label, projectFilter } from '../reconcile/labels.js';

export interface LogsOptions {
  services?: string[];
  follow?: boolean;
  tail?: number | 'all';
  since?: string;
  until?: string;
  timestamps?: boolean;
  /** Also read the logs of one-off (`run`) containers. */
  oneOff?: boolean;
  signal?: AbortSignal;
  /** `follow`: the engine went away; following resumes when it is back (`onEngineBack`). */
  onEngineLost?: (error: TsComposeError) => void;
  onEngineBack?: () => void;
  /** How often to knock while the engine is away (ms, default 1000). */
  retryMs?: number;
}

/** One line of one container's output, for the log printer. */
export interface ContainerLogLine {
  container: string;
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export type LogSink = (line: ContainerLogLine) => void;

/** Streams the logs of several containers at once, line by line, until they end (or the signal fires). */
export async function streamLogs(
  engine: Engine,
  containers: ContainerSummary[],
  options: LogsOptions,
  sink: LogSink,
): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      const service = c.labels[Label.service] ?? '';
      for await (const line of engine.containerLogs(c.id, {
        follow: options.follow,
        tail: options.tail,
        since: options.since,
        until: options.until,
        timestamps: options.timestamps,
        signal: options.signal,
      }))
        sink({ container: c.name, service, stream: line.stream, text: line.text });
    }),
  );
}

/**
 * `logs`: the project's containers (stopped ones too), sorted by name. With `follow`, containers
 * that start later (scaled up, recreated, restarted) are followed too, from their start, until the
 * signal fires; and when the engine goes away (stopped, restarted), following waits for it to come
 * back and resumes each container from the last line received, so nothing is shown twice.
 */
export async function projectLogs(
  engine: Engine,
  projectName: string,
  options: LogsOptions,
  sink: LogSink,
  onContainers?: (names: string[]) => void,
): Promise<ContainerSummary[]> {
  if (!options.follow) return followOnce(engine, projectName, options, sink, onContainers, new Map());
  /** Container id → the engine's timestamp of its last line shown, or when following it began. */
  const seen = new Map<string, Seen>();
  let listed: ContainerSummary[] | undefined;
  let resumeAt: number | undefined;
  for (;;) {
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const containers = await followOnce(
        engine,
        projectName,
        { ...options, signal: inner.signal },
        sink,
        (names) => onContainers?.(names.filter((n) => !listed?.some((c) => c.name === n))),
        seen,
        resumeAt,
        (containers) => (listed ??= containers),
      );
      if (options.signal?.aborted || !inner.signal.aborted) return listed ?? containers;
    } catch (error) {
      if (options.signal?.aborted) return listed ?? [];
      // an engine that is not there at the start is an error; one that goes away later is waited for
      if (!isEngineGone(error) || !listed) throw error;
      resumeAt = Date.now();
      options.onEngineLost?.(error);
      if (!(await engineBack(engine, options.retryMs ?? 1000, options.signal))) return listed ?? [];
      options.onEngineBack?.();
    } finally {
      inner.abort();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Knocks until the engine answers again (true) or the signal fires (false). */
async function engineBack(
  engine: Engine,
  retryMs: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  for (;;) {
    try {
      await sleep(retryMs, signal);
      await engine.version();
      return true;
    } catch (error) {
      if (signal?.aborted) return false;
      if (!isEngineGone(error)) throw error;
    }
  }
}

/** Where a followed container's logs stand: the fixed-width RFC 3339 time of its last line, if any. */
interface Seen {
  last?: string;
  since: number;
}

/** `since` as the Engine API takes it: seconds and a fraction, from ms or an engine timestamp. */
function sinceOf(seen: Seen): string {
  if (!seen.last) return `${Math.floor(seen.since / 1000)}.${String(seen.since % 1000).padStart(3, '0')}`;
  const seconds = Math.floor(Date.parse(`${seen.last.slice(0, 19)}Z`) / 1000);
  return `${seconds}.${seen.last.slice(20, 29)}`;
}

/**
 * One round of `logs` (one connection's worth): the first failure of any stream ends them all and
 * is thrown. `resumeAt` (after the engine came back) makes every container resume after its last
 * line received, or from that moment when none was.
 */
async function followOnce(
  engine: Engine,
  projectName: string,
  options: LogsOptions,
  sink: LogSink,
  onContainers: ((names: string[]) => void) | undefined,
  seen: Map<string, Seen>,
  resumeAt?: number,
  onListed?: (containers: ContainerSummary[]) => void,
): Promise<ContainerSummary[]> {
  const wanted = options.services?.length ? new Set(options.services) : undefined;
  const matches = (labels: Record<string, string>) =>
    ((options.oneOff ?? false) || !isOneOff(labels)) && (!wanted || wanted.has(labels[Label.service] ?? ''));
  // the first failure stops every stream of this round
  const round = new AbortController();
  const stop = () => round.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const signal = round.signal;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    stop();
  };
  try {
    const events = options.follow
      ? await engine.followEvents(
          { type: ['container'], event: ['start'], ...projectFilter(projectName) },
          { signal },
        )
      : undefined;
    const containers = (await engine.listContainers({ ...projectFilter(projectName), all: true }))
      .filter((c) => matches(c.labels))
      .sort((a, b) => a.name.localeCompare(b.name));
    onListed?.(containers);
    onContainers?.(containers.map((c) => c.name));
    const following = new Set<string>();
    const streams: Promise<void>[] = [];
    const follow = (c: ContainerSummary, extra: Partial<LogsOptions> = {}) => {
      following.add(c.id);
      const service = c.labels[Label.service] ?? '';
      let state = seen.get(c.id);
      if (!state) seen.set(c.id, (state = { since: resumeAt ?? Date.now() }));
      const at = state;
      const resume = resumeAt === undefined ? {} : { tail: 'all' as const, since: sinceOf(at) };
      // stdout and stderr lines may come slightly out of time order: only a resumed stream drops
      // what it has already shown
      const cutoff = resumeAt === undefined ? undefined : at.last;
      const run = async () => {
        // followed lines carry the engine's timestamps (fixed width, so they compare as text): a
        // resumed stream starts at the last one shown, which is dropped with anything before it
        const o = { ...options, ...extra, ...resume };
        for await (const line of engine.containerLogs(c.id, {
          follow: o.follow,
          tail: o.tail,
          since: o.since,
          until: o.until,
          timestamps: o.follow || o.timestamps,
          signal,
        })) {
          let text = line.text;
          if (options.follow) {
            const space = text.indexOf(' ');
            const stamp = space > 0 ? text.slice(0, space) : '';
            if (cutoff !== undefined && stamp <= cutoff) continue;
            if (at.last === undefined || stamp > at.last) at.last = stamp;
            if (!options.timestamps) text = text.slice(space + 1);
          }
          sink({ container: c.name, service, stream: line.stream, text });
        }
      };
      streams.push(
        run()
          .catch(fail)
          .finally(() => following.delete(c.id)),
      );
    };
    for (const c of containers) follow(c);
    if (events) {
      signal.addEventListener('abort', () => events.close(), { once: true });
      try {
        for await (const event of events) {
          if (following.has(event.id) || !matches(event.attributes)) continue;
          const c = (await engine.listContainers({ ...projectFilter(projectName), all: true })).find(
            (x) => x.id === event.id,
          );
          if (!c) continue;
          onContainers?.([c.name]);
          follow(c, { tail: 'all', since: String(Math.floor(event.time / 1000)) });
        }
        // the engine ended the event stream itself: it is going away (or already gone)
        if (!signal.aborted)
          await engine
            .version()
            .then(
              () =>
                fail(
                  new TsComposeError('the engine ended the event stream', { code: 'engine.connection-lost' }),
                ),
              fail,
            );
      } catch (error) {
        fail(error);
      }
    }
    await Promise.all(streams);
    if (failure) throw failure.error;
    return containers;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
