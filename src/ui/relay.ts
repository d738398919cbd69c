/**
 * One progress listener for a whole command, in front of displays that come and go: the first event
 * opens a display, `finish()` closes it (its final screen drawn) so that other output can follow, and
 * a later event opens a new one. Attached `up` needs this: the plan's progress, then the logs, then
 * the progress of stopping on Ctrl-C. Events that arrive while a display opens wait for it, in order.
 */
import type { ProgressEvent, ProgressListener } from '../core/events.js';
import type { ProgressSink } from './sink.js';

export interface ProgressRelay {
  emit: ProgressListener;
  /** Closes the current display, if any, once it has shown every event emitted before. */
  finish(): Promise<void>;
}

interface Display {
  /** Events emitted while the display opens. */
  waiting: ProgressEvent[];
  sink?: ProgressSink;
  opened: Promise<ProgressSink | undefined>;
}

export function createProgressRelay(open: () => Promise<ProgressSink>): ProgressRelay {
  let display: Display | undefined;
  // a display opens once the one before has closed: two live displays would fight over the screen
  let previousClosed: Promise<void> = Promise.resolve();

  const start = (): Display => {
    const next: Display = { waiting: [], opened: Promise.resolve(undefined) };
    next.opened = previousClosed.then(open).then(
      (sink) => {
        for (const event of next.waiting) sink.emit(event);
        next.waiting = [];
        next.sink = sink;
        return sink;
      },
      // a display that cannot open is no reason to fail the work it would have shown
      () => undefined,
    );
    return next;
  };

  return {
    emit(event) {
      display ??= start();
      if (display.sink) display.sink.emit(event);
      else display.waiting.push(event);
    },
    finish() {
      const closing = display;
      display = undefined;
      const closed = (async () => {
        await (await closing?.opened)?.close();
      })().catch(() => undefined);
      previousClosed = closed;
      return closed;
    },
  };
}
