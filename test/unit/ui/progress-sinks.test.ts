import { describe, expect, it } from 'vitest';
import { createJsonProgress } from '../../../src/ui/json-progress.js';
import { createPlainProgress, plainLine } from '../../../src/ui/plain-progress.js';
import { createProgressSink } from '../../../src/ui/progress.js';
import { collector, manualClock, recording } from '../../support/progress.js';

const start = Date.parse('2026-11-22T10:00:00.000Z');

describe('plain progress', () => {
  it('prints the recorded Inception `up` as Compose-like lines', async () => {
    const out = collector();
    const sink = createPlainProgress({ stream: out.stream });
    for (const { event } of recording('inception-up')) sink.emit(event);
    await sink.close();
    await expect(out.text()).toMatchFileSnapshot('../../fixtures/progress/inception-up.plain.txt');
  });

  it('writes one line per resource event with its duration when known', () => {
    expect(
      plainLine({
        type: 'resource',
        kind: 'container',
        id: 'p-web-1',
        status: 'done',
        text: 'Started',
        durationMs: 412,
      }),
    ).toBe(' Container p-web-1  Started  0.4s');
    expect(
      plainLine({ type: 'resource', kind: 'network', id: 'p_default', status: 'working', text: 'Creating' }),
    ).toBe(' Network p_default  Creating');
    expect(
      plainLine({
        type: 'resource',
        kind: 'container',
        id: 'p-web-1',
        status: 'working',
        text: 'Recreate',
        detail: 'environment changed',
      }),
    ).toBe(' Container p-web-1  Recreate (environment changed)');
  });

  it('keeps build output readable: colours and redrawn progress removed', () => {
    expect(
      plainLine({
        type: 'output',
        id: 'p-web',
        stream: 'stdout',
        line: '\u001b[1mStep 1/2\u001b[0m : FROM x',
      }),
    ).toBe(' p-web | Step 1/2 : FROM x');
    expect(plainLine({ type: 'output', id: 'p-web', stream: 'stderr', line: ' 10%\r 50%\r100%\r\n' })).toBe(
      ' p-web | 100%',
    );
  });

  it('prints nothing once closed', async () => {
    const out = collector();
    const sink = createPlainProgress({ stream: out.stream });
    await sink.close();
    sink.emit({ type: 'info', message: 'late' });
    expect(out.text()).toBe('');
  });
});

describe('JSON progress', () => {
  it('writes each recorded event as one JSON line with its time', async () => {
    const out = collector();
    const { clock, set } = manualClock(start);
    const sink = createJsonProgress({ stream: out.stream, clock });
    for (const { at, event } of recording('inception-up')) {
      set(start + at);
      sink.emit(event);
    }
    await sink.close();
    await expect(out.text()).toMatchFileSnapshot('../../fixtures/progress/inception-up.jsonl');
    const lines = out.text().trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
      recording('inception-up').map(({ at, event }) => ({
        time: new Date(start + at).toISOString(),
        ...event,
      })),
    );
  });
});

describe('quiet progress', () => {
  it('writes nothing at all', async () => {
    const out = collector();
    const sink = await createProgressSink('quiet', {
      stream: out.stream,
      color: false,
      clock: manualClock(0).clock,
    });
    for (const { event } of recording('inception-up')) sink.emit(event);
    await sink.close();
    expect(out.text()).toBe('');
  });
});
