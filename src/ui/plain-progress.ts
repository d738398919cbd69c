/**
 * Progress as plain lines, one per event, for CI logs, pipes and `make`: nothing is redrawn, no
 * colour, and lines read like Compose's `--progress plain`:
 *
 *      Container myproj-web-1  Started  0.4s
 */
import type { ProgressEvent } from '../core/events.js';
import type { ProgressSink, ProgressSinkOptions } from './sink.js';
import { cleanOutputLine, formatDuration, resourceLabel } from './progress-text.js';

/** The line for one event, without its newline; undefined for events that print nothing. */
export function plainLine(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'resource': {
      const detail = event.detail ? ` (${event.detail})` : '';
      const duration = event.durationMs === undefined ? '' : `  ${formatDuration(event.durationMs)}`;
      return ` ${resourceLabel(event.kind, event.id)}  ${event.text}${detail}${duration}`;
    }
    case 'output': {
      const line = cleanOutputLine(event.line);
      return ` ${event.id} | ${line}`.trimEnd();
    }
    case 'warning':
      return `warning: ${event.id ? `${event.id}: ` : ''}${event.message}`;
    case 'info':
      return `${event.id ? `${event.id}: ` : ''}${event.message}`;
    case 'summary':
      return ` ${event.text}  ${formatDuration(event.durationMs)}`;
  }
}

export function createPlainProgress(options: Pick<ProgressSinkOptions, 'stream'>): ProgressSink {
  let closed = false;
  return {
    mode: 'plain',
    emit(event) {
      if (closed) return;
      const line = plainLine(event);
      if (line !== undefined) options.stream.write(`${line}\n`);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
