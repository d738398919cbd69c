import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/events.js';
import { createProgressRelay } from '../../../src/ui/relay.js';
import type { ProgressSink } from '../../../src/ui/sink.js';

function recordingSinks() {
  const log: string[] = [];
  let opened = 0;
  const open = async (): Promise<ProgressSink> => {
    const n = ++opened;
    log.push(`open ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return {
      mode: 'plain',
      emit: (event) => log.push(`${n}: ${event.type === 'info' ? event.message : event.type}`),
      close: async () => {
        log.push(`close ${n}`);
      },
    };
  };
  return { log, open };
}

const info = (message: string): ProgressEvent => ({ type: 'info', message });

describe('progress relay', () => {
  it('opens a display on the first event and keeps the order of events sent while it opens', async () => {
    const { log, open } = recordingSinks();
    const relay = createProgressRelay(open);
    relay.emit(info('a'));
    relay.emit(info('b'));
    await relay.finish();
    expect(log).toEqual(['open 1', '1: a', '1: b', 'close 1']);
  });

  it('opens a new display after finish, for the next phase', async () => {
    const { log, open } = recordingSinks();
    const relay = createProgressRelay(open);
    relay.emit(info('plan'));
    await relay.finish();
    relay.emit(info('stopping'));
    await relay.finish();
    expect(log).toEqual(['open 1', '1: plan', 'close 1', 'open 2', '2: stopping', 'close 2']);
  });

  it('opens nothing when nothing is emitted', async () => {
    const { log, open } = recordingSinks();
    await createProgressRelay(open).finish();
    expect(log).toEqual([]);
  });
});

describe('progress relay, finishing while a display opens', () => {
  it('shows the first phase in the first display and the next in a new one', async () => {
    const { log, open } = recordingSinks();
    const relay = createProgressRelay(open);
    relay.emit(info('plan'));
    const finishing = relay.finish();
    relay.emit(info('stopping'));
    await finishing;
    await relay.finish();
    expect(log).toEqual(['open 1', '1: plan', 'close 1', 'open 2', '2: stopping', 'close 2']);
  });
});
