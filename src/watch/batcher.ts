import type { Clock } from '../core/clock.js';
import { addRawEvent, type PendingChange, type RawEvent } from './changes.js';

export interface BatcherOptions {
  /** A batch closes after this long without a new event (default 100 ms). */
  quietMs?: number;
  /**
   * ... or this long after its first event, even if events keep coming (default 2 s), so a process
   * that writes without pause (a build writing into a watched folder) cannot hold changes back forever.
   */
  maxWaitMs?: number;
}

export const DEFAULT_QUIET_MS = 100;
export const DEFAULT_MAX_WAIT_MS = 2000;

/**
 * Groups raw events into batches: one batch per quiet period. Events of the same path fold into
 * one pending change, so a burst of 1,000 events on 1,000 files is one batch of 1,000 paths, and
 * 50 writes to one file are one path. Time comes from the injected clock.
 */
export class Batcher {
  private pending = new Map<string, PendingChange>();
  private quietTimer: unknown;
  private maxTimer: unknown;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly onBatch: (batch: PendingChange[]) => void,
    options: BatcherOptions = {},
  ) {
    this.quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, this.quietMs);
  }

  push(event: RawEvent): void {
    addRawEvent(this.pending, event);
    if (this.quietTimer !== undefined) this.clock.clearTimeout(this.quietTimer);
    this.quietTimer = this.clock.setTimeout(() => this.flush(), this.quietMs);
    this.maxTimer ??= this.clock.setTimeout(() => this.flush(), this.maxWaitMs);
  }

  /** Closes the current batch now (when there is one). */
  flush(): void {
    this.cancelTimers();
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.onBatch(batch);
  }

  /** Drops what is pending and stops the timers. */
  dispose(): void {
    this.cancelTimers();
    this.pending = new Map();
  }

  private cancelTimers(): void {
    if (this.quietTimer !== undefined) this.clock.clearTimeout(this.quietTimer);
    if (this.maxTimer !== undefined) this.clock.clearTimeout(this.maxTimer);
    this.quietTimer = undefined;
    this.maxTimer = undefined;
  }
}
