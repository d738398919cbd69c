/**
 * `--progress json`: one JSON object per line for scripts and editors. Each line is a ProgressEvent
 * (src/core/events.ts) as it is, with the time it was rendered first:
 *
 *     {"time":"2026-11-22T10:00:00.412Z","type":"resource","kind":"container","id":"p-web-1",
 *      "status":"done","text":"Started","durationMs":412}
 *
 * The README's "Progress as JSON" section documents every field; change both together.
 */
import type { ProgressSink, ProgressSinkOptions } from './sink.js';

export function createJsonProgress(options: Pick<ProgressSinkOptions, 'stream' | 'clock'>): ProgressSink {
  let closed = false;
  return {
    mode: 'json',
    emit(event) {
      if (closed) return;
      const time = new Date(options.clock.now()).toISOString();
      options.stream.write(`${JSON.stringify({ time, ...event })}\n`);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
