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

/** `logs`: the project's containers (stopped ones too), sorted by service and number. */
export async function projectLogs(engine: Engine, projectName: string, options: LogsOptions, sink: LogSink) {
  const wanted = options.services?.length ? new Set(options.services) : undefined;
  const containers = (await engine.listContainers({ ...projectFilter(projectName), all: true }))
    .filter((c) => (options.oneOff ?? false) || !isOneOff(c.labels))
    .filter((c) => !wanted || wanted.has(c.labels[Label.service] ?? ''))
    .sort((a, b) => a.name.localeCompare(b.name));
  await streamLogs(engine, containers, options, sink);
  return containers;
}
