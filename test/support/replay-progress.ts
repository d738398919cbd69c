// Replays a recorded progress event sequence into a sink, at the recorded pace: the driver of the
// pseudo-terminal test (tmux runs it as a real program) and a handy way to look at a sink by hand:
//   node <bundled replay> test/fixtures/progress/inception-up.json tty
import { readFileSync } from 'node:fs';
import { systemClock } from '../../src/core/clock.js';
import { createProgressSink } from '../../src/ui/progress.js';
import { colorEnabled, resolveProgressMode, type ProgressOption } from '../../src/ui/terminal.js';
import type { RecordedEvent } from './progress.js';

const [file, progress = 'auto', speed = '1'] = process.argv.slice(2);
if (!file) throw new Error('usage: replay-progress FILE [auto|tty|plain|json|quiet] [SPEED]');
const recorded = JSON.parse(readFileSync(file, 'utf8')) as RecordedEvent[];
const facts = { env: process.env, isTTY: process.stderr.isTTY === true };
const mode = resolveProgressMode({ ...facts, progress: progress as ProgressOption });
// The sink's clock reads the recorded time of the event being replayed, so that every duration it
// shows comes from the recording and the final screen is the same on every run.
const epoch = Date.parse('2026-11-22T10:00:00.000Z');
let recordedNow = epoch;
const sink = await createProgressSink(mode, {
  stream: process.stderr,
  otherStream: process.stdout,
  color: colorEnabled(facts),
  clock: { ...systemClock, now: () => recordedNow },
});
const start = Date.now();
for (const { at, event } of recorded) {
  const wait = at / Number(speed) - (Date.now() - start);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  recordedNow = epoch + at;
  sink.emit(event);
}
await sink.close();
process.stdout.write('replay finished\n');
