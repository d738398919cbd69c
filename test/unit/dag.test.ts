import { describe, expect, it } from 'vitest';
import { Dag, rankedOrder, walk } from '../../src/graph/dag.js';
import { isTsComposeError } from '../../src/core/errors.js';

const chain = () => new Dag().addEdge('app', 'db').addEdge('proxy', 'app').addNode('cache');

describe('Dag', () => {
  it('orders dependencies first, ties by name', () => {
    expect(chain().topologicalOrder()).toEqual(['cache', 'db', 'app', 'proxy']);
  });

  it('returns the cycle as a closed path', () => {
    const dag = new Dag().addEdge('a', 'b').addEdge('b', 'c').addEdge('c', 'a').addEdge('d', 'a');
    expect(dag.findCycle()).toEqual(['a', 'b', 'c', 'a']);
    try {
      dag.topologicalOrder();
      expect.unreachable();
    } catch (error) {
      expect(isTsComposeError(error) && error.message).toBe('dependency cycle: a -> b -> c -> a');
    }
  });

  it('computes the closure of dependencies', () => {
    expect([...chain().closure(['proxy'])].sort()).toEqual(['app', 'db', 'proxy']);
  });
});

describe('walk', () => {
  const record = (dag: Dag, direction: 'up' | 'down', concurrency?: number) => {
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const done = walk(
      dag,
      async (node) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        events.push(`start ${node}`);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${node}`);
        running--;
      },
      { direction, concurrency },
    );
    return done.then(() => ({ events, maxRunning }));
  };

  it('walks up: a node starts only after its dependencies ended', async () => {
    const { events } = await record(chain(), 'up');
    expect(events.indexOf('start app')).toBeGreaterThan(events.indexOf('end db'));
    expect(events.indexOf('start proxy')).toBeGreaterThan(events.indexOf('end app'));
    // independent nodes run side by side
    expect(events.indexOf('start db')).toBeLessThan(events.indexOf('end cache'));
  });

  it('walks down in reverse order', async () => {
    const { events } = await record(chain(), 'down');
    expect(events.indexOf('start db')).toBeGreaterThan(events.indexOf('end app'));
    expect(events.indexOf('start app')).toBeGreaterThan(events.indexOf('end proxy'));
  });

  it('respects the concurrency bound', async () => {
    const wide = new Dag();
    for (let i = 0; i < 10; i++) wide.addNode(`s${i}`);
    expect((await record(wide, 'up', 3)).maxRunning).toBe(3);
  });

  it('starts nothing new after a failure and throws the first error', async () => {
    const started: string[] = [];
    const dag = chain();
    await expect(
      walk(
        dag,
        async (node) => {
          started.push(node);
          if (node === 'db') throw new Error('db failed');
        },
        { direction: 'up', concurrency: 1 },
      ),
    ).rejects.toThrow('db failed');
    expect(started).not.toContain('app');
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const done = walk(
      chain(),
      async (node) => {
        started.push(node);
        controller.abort();
      },
      { direction: 'up', concurrency: 1, signal: controller.signal },
    );
    await expect(done).rejects.toThrow('interrupted');
    expect(started).toEqual(['cache']);
  });
});

describe('rankedOrder', () => {
  const item = (id: string, rank: number, after: string[] = []) => ({ id, rank, after });

  it('puts every item after those it names, and the lower rank first among the ready', () => {
    const items = [item('start', 2, ['create']), item('create', 1, ['net']), item('net', 0), item('vol', 0)];
    expect(rankedOrder(items, (i) => i.rank).map((i) => i.id)).toEqual(['net', 'vol', 'create', 'start']);
  });

  it('keeps the given order among equals and ignores names of items it was not given', () => {
    const items = [item('b', 1, ['gone']), item('a', 1), item('c', 0, ['a'])];
    expect(rankedOrder(items, (i) => i.rank).map((i) => i.id)).toEqual(['b', 'a', 'c']);
  });
});
