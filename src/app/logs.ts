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
 * signal fires.
 */
export async function projectLogs(
  engine: Engine,
  projectName: string,
  options: LogsOptions,
  sink: LogSink,
  onContainers?: (names: string[]) => void,
) {
  const wanted = options.services?.length ? new Set(options.services) : undefined;
  const matches = (labels: Record<string, string>) =>
    ((options.oneOff ?? false) || !isOneOff(labels)) && (!wanted || wanted.has(labels[Label.service] ?? ''));
  const events = options.follow
    ? await engine.followEvents(
        { type: ['container'], event: ['start'], ...projectFilter(projectName) },
        { signal: options.signal },
      )
    : undefined;
  const containers = (await engine.listContainers({ ...projectFilter(projectName), all: true }))
    .filter((c) => matches(c.labels))
    .sort((a, b) => a.name.localeCompare(b.name));
  onContainers?.(containers.map((c) => c.name));
  const following = new Set<string>();
  const streams: Promise<void>[] = [];
  const follow = (c: ContainerSummary, extra: Partial<LogsOptions> = {}) => {
    following.add(c.id);
    streams.push(
      streamLogs(engine, [c], { ...options, ...extra }, sink).finally(() => following.delete(c.id)),
    );
  };
  for (const c of containers) follow(c);
  if (events) {
    options.signal?.addEventListener('abort', () => events.close(), { once: true });
    for await (const event of events) {
      if (following.has(event.id) || !matches(event.attributes)) continue;
      const c = (await engine.listContainers({ ...projectFilter(projectName), all: true })).find(
        (x) => x.id === event.id,
      );
      if (!c) continue;
      onContainers?.([c.name]);
      follow(c, { tail: 'all', since: String(Math.floor(event.time / 1000)) });
    }
  }
  await Promise.all(streams);
  return containers;
}
