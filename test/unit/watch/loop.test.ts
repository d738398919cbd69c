import { describe, expect, it } from 'vitest';
import type { WatchAction } from '../../../src/watch/actions.js';
import type { EntryType, FileChange, RawEvent } from '../../../src/watch/changes.js';
import { describeFiles, formatWatchEvent } from '../../../src/watch/events.js';
import { WatchLoop } from '../../../src/watch/loop.js';
import { watchTriggers } from '../../../src/watch/triggers.js';
import type { FileWatcherOptions } from '../../../src/watch/watcher.js';
import { FakeClock } from '../../support/fake-clock.js';

const triggers = watchTriggers(
  {
    name: 'demo',
    services: {
      web: {
        command: null,
        entrypoint: null,
        image: 'nginx',
        develop: { watch: [{ path: '/p/html', action: 'sync', target: '/srv' }] },
      },
    },
  },
  {},
  new Map(),
).triggers;

/** The names directly in a folder of the fake disk. */
const namesIn = (disk: Record<string, EntryType>) => async (dir: string) =>
  Object.keys(disk)
    .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))
    .map((p) => p.slice(dir.length + 1));

async function setup(disk: Record<string, EntryType>) {
  const clock = new FakeClock();
  let options!: FileWatcherOptions;
  const batches: WatchAction[][] = [];
  const reloads: FileChange[][] = [];
  const loop = await WatchLoop.start({
    triggers,
    projectFiles: ['/p/compose.yaml'],
    ignoreFiles: [],
    clock,
    onActions: (actions) => batches.push(actions),
    onProjectFiles: async (changes) => {
      reloads.push(changes);
      // the reload happens before the batch's actions are planned
      expect(batches).toHaveLength(0);
    },
    onError: (error) => {
      throw error;
    },
    typeOf: async (path) => disk[path],
    listDir: namesIn(disk),
    watcherFactory: (o) => {
      options = o;
      return { ready: Promise.resolve(), setRoots: async () => {}, close: async () => {} };
    },
  });
  const emit = (...events: RawEvent[]) => events.forEach((e) => options.onEvent(e));
  return { clock, loop, emit, batches, reloads, options };
}

describe('WatchLoop', () => {
  it('turns one quiet period of raw events into one batch of actions', async () => {
    const disk: Record<string, EntryType> = {
      '/p': 'directory',
      '/p/html': 'directory',
      '/p/html/a': 'file',
    };
    const { clock, loop, emit, batches } = await setup(disk);
    emit({ kind: 'add', path: '/p/html/.a.swp' }, { kind: 'unlink', path: '/p/html/.a.swp' });
    emit({ kind: 'unlink', path: '/p/html/a' }, { kind: 'add', path: '/p/html/a' });
    clock.advance(99);
    await loop.drained();
    expect(batches).toHaveLength(0);
    clock.advance(1);
    await loop.drained();
    expect(batches).toEqual([
      [
        {
          kind: 'sync',
          service: 'web',
          files: ['/p/html/a'],
          copy: [{ hostPath: '/p/html/a', containerPath: '/srv/a' }],
          remove: [],
          restart: false,
          exec: [],
        },
      ],
    ]);
  });

  it('reloads the project before planning a batch that touched its files', async () => {
    const disk: Record<string, EntryType> = {
      '/p': 'directory',
      '/p/compose.yaml': 'file',
      '/p/html': 'directory',
      '/p/html/b': 'file',
    };
    const { clock, loop, emit, batches, reloads } = await setup(disk);
    emit({ kind: 'change', path: '/p/compose.yaml' }, { kind: 'change', path: '/p/html/b' });
    clock.advance(100);
    await loop.drained();
    expect(reloads).toEqual([[{ path: '/p/compose.yaml', kind: 'changed', type: 'file' }]]);
    expect(batches.flat().map((a) => a.files)).toEqual([['/p/html/b']]);
  });

  it('syncs what a new folder holds even when the watcher missed some of its files', async () => {
    const disk: Record<string, EntryType> = {
      '/p': 'directory',
      '/p/html': 'directory',
      '/p/html/burst': 'directory',
      '/p/html/burst/f1': 'file',
      '/p/html/burst/f2': 'file',
      '/p/html/burst/.git': 'directory',
      '/p/html/burst/.git/HEAD': 'file',
    };
    const { clock, loop, emit, batches } = await setup(disk);
    // f2 was created after the watcher read the new folder and before it watched it: no event
    emit({ kind: 'addDir', path: '/p/html/burst' }, { kind: 'add', path: '/p/html/burst/f1' });
    clock.advance(100);
    await loop.drained();
    // and what the watch skips (.git) stays out
    expect(batches.flat().map((a) => a.files)).toEqual([
      ['/p/html/burst', '/p/html/burst/f1', '/p/html/burst/f2'],
    ]);
  });

  it('lets the file watcher skip what nothing needs', async () => {
    const { options } = await setup({});
    expect(options.skip('/p/html/.git')).toBe(true);
    expect(options.skip('/p/other')).toBe(true);
    expect(options.skip('/p/html/css')).toBe(false);
    expect(options.skip('/p/compose.yaml')).toBe(false);
    expect(options.roots).toEqual(['/p/compose.yaml', '/p/html']);
  });
});

describe('watch output', () => {
  it('says each action on one line with its files, service, name and duration', () => {
    const root = '/p';
    const line = (e: Parameters<typeof formatWatchEvent>[0]) => formatWatchEvent(e, root);
    expect(
      line({
        type: 'action',
        service: 'web',
        action: 'sync',
        files: ['/p/html/a.html'],
        ok: true,
        durationMs: 84,
        detail: '1 copied',
      }),
    ).toBe('web sync html/a.html (84 ms, 1 copied)');
    expect(
      line({
        type: 'action',
        service: 'web',
        action: 'rebuild',
        files: ['/p/Dockerfile'],
        ok: false,
        durationMs: 1640,
        detail: 'build failed at step 2/3\n  RUN false',
        kept: 'the old container keeps running',
      }),
    ).toBe(
      'web rebuild Dockerfile FAILED after 1.6 s: build failed at step 2/3; the old container keeps running\n  RUN false',
    );
    expect(describeFiles(['/p/a', '/p/b', '/p/c', '/p/d', '/elsewhere'], root)).toBe('a, b, c (+2 more)');
  });
});
