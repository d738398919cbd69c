// Helpers for progress sink tests: the recorded event sequences and a stream that keeps what it gets.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { Clock } from '../../src/core/clock.js';
import type { ProgressEvent } from '../../src/core/events.js';

export interface RecordedEvent {
  /** Milliseconds since the start of the recording. */
  at: number;
  event: ProgressEvent;
}

export function recording(name: string): RecordedEvent[] {
  const url = new URL(`../fixtures/progress/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as RecordedEvent[];
}

export function fixturePath(name: string): string {
  return new URL(`../fixtures/progress/${name}`, import.meta.url).pathname;
}

/** A writable that collects everything written to it as text. */
export function collector(props: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    props,
  );
  return { stream, text: () => text };
}

/** A clock whose time moves only when the test says so; timers never fire by themselves. */
export function manualClock(start: number) {
  let now = start;
  const clock: Clock = {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
  };
  return { clock, set: (ms: number) => (now = ms) };
}
