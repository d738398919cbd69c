/** What every progress sink is, and the one that shows nothing. */
import type { Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import type { ProgressEvent } from '../core/events.js';
import type { ProgressMode } from './terminal.js';

export interface ProgressSink {
  readonly mode: ProgressMode;
  /** Renders one event. Never throws: a display problem must not fail the work it reports on. */
  emit(event: ProgressEvent): void;
  /**
   * Ends the display and resolves once the final screen is written: after it, nothing of the sink
   * is left running and the stream may be written to again. Calling it twice is harmless.
   */
  close(): Promise<void>;
}

export type OutputStream = Writable & { isTTY?: boolean; columns?: number; rows?: number };

export interface ProgressSinkOptions {
  /** Where progress goes: stderr, as Compose does, so that stdout stays for data. */
  stream: OutputStream;
  /**
   * The other standard stream. The live display holds back what is written to it while it runs and
   * prints it underneath when done, so that stray output does not tear the screen.
   */
  otherStream?: OutputStream;
  color: boolean;
  clock: Clock;
}

/** `--progress quiet`: nothing at all; errors still reach the user through the CLI's error report. */
export const quietProgress: ProgressSink = {
  mode: 'quiet',
  emit: () => {},
  close: () => Promise.resolve(),
};
