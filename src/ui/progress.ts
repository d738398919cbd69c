/**
 * Progress is a port with several sinks: the engine work emits ProgressEvents (src/core/events.ts),
 * and the CLI picks one sink to render them — a live list on a terminal, plain lines for CI and logs,
 * JSON lines for scripts, or nothing.
 */
import { createJsonProgress } from './json-progress.js';
import { createPlainProgress } from './plain-progress.js';
import { quietProgress, type ProgressSink, type ProgressSinkOptions } from './sink.js';
import type { ProgressMode } from './terminal.js';

export type { OutputStream, ProgressSink, ProgressSinkOptions } from './sink.js';

/** The sink for a mode. The live display (and listr2 with it) is loaded only when it is chosen. */
export async function createProgressSink(
  mode: ProgressMode,
  options: ProgressSinkOptions,
): Promise<ProgressSink> {
  switch (mode) {
    case 'tty': {
      const { createTtyProgress } = await import('./tty-progress.js');
      return createTtyProgress(options);
    }
    case 'plain':
      return createPlainProgress(options);
    case 'json':
      return createJsonProgress(options);
    case 'quiet':
      return quietProgress;
  }
}
