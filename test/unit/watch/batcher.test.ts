import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../src/watch/batcher.js';
import type { PendingChange } from '../../../src/watch/changes.js';
import { FakeClock } from '../../support/fake-clock.js';

function setup(options = {}) {
  const clock = new FakeClock();
  const batches: { at: number; batch: PendingChange[] }[] = [];
  const batcher = new Batcher(clock, (batch) => batches.push({ at: clock.now(), batch }), options);
  return { clock, batches, batcher };
}

describe('Batcher', () => {
  it('closes a batch after 100 ms of quiet by default', () => {
    const { clock, batches, batcher } = setup();
    batcher.push({ kind: 'change', path: '/p/a' });
    clock.advance(99);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([{ at: 100, batch: [{ path: '/p/a', createdInBatch: false, last: 'change' }] }]);
  });

  it('restarts the quiet period on every event: one batch per quiet period', () => {
    const { clock, batches, batcher } = setup({ quietMs: 50 });
    for (let i = 0; i < 10; i++) {
      batcher.push({ kind: 'change', path: `/p/${i}` });
      clock.advance(30);
    }
    expect(batches).toEqual([]);
    clock.advance(20);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.at).toBe(9 * 30 + 50);
    expect(batches[0]!.batch).toHaveLength(10);
    batcher.push({ kind: 'change', path: '/p/x' });
    clock.advance(50);
    expect(batches).toHaveLength(2);
  });

  it('folds a burst of 1,000 files and repeated writes into one batch of distinct paths', () => {
    const { clock, batches, batcher } = setup();
    for (let i = 0; i < 1000; i++) batcher.push({ kind: 'add', path: `/p/f${i}` });
    for (let i = 0; i < 50; i++) batcher.push({ kind: 'change', path: '/p/f0' });
    clock.advance(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.batch).toHaveLength(1000);
    expect(batches[0]!.batch[0]).toEqual({ path: '/p/f0', createdInBatch: true, last: 'change' });
  });

  it('remembers whether a path existed before the batch (an atomic save vs a temporary file)', () => {
    const { clock, batches, batcher } = setup();
    batcher.push({ kind: 'add', path: '/p/.index.php.swx' });
    batcher.push({ kind: 'unlink', path: '/p/.index.php.swx' });
    batcher.push({ kind: 'unlink', path: '/p/index.php' });
    batcher.push({ kind: 'add', path: '/p/index.php' });
    clock.advance(100);
    expect(batches[0]!.batch).toEqual([
      { path: '/p/.index.php.swx', createdInBatch: true, last: 'unlink' },
      { path: '/p/index.php', createdInBatch: false, last: 'add' },
    ]);
  });

  it('closes a batch after maxWaitMs even when events never stop', () => {
    const { clock, batches, batcher } = setup({ quietMs: 100, maxWaitMs: 500 });
    for (let t = 0; t < 1200; t += 50) {
      batcher.push({ kind: 'change', path: `/p/${t}` });
      clock.advance(50);
    }
    expect(batches.map((b) => b.at)).toEqual([500, 1000]);
  });

  it('flush closes the batch at once; dispose drops it and leaves no timer', () => {
    const { clock, batches, batcher } = setup();
    batcher.push({ kind: 'change', path: '/p/a' });
    batcher.flush();
    expect(batches).toHaveLength(1);
    expect(clock.pending).toBe(0);
    batcher.push({ kind: 'change', path: '/p/b' });
    batcher.dispose();
    clock.advance(5000);
    expect(batches).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
