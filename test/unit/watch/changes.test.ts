import { describe, expect, it } from 'vitest';
import { settle, type EntryType } from '../../../src/watch/changes.js';

const fsOf = (entries: Record<string, EntryType>) => async (path: string) => entries[path];

describe('settle', () => {
  it('reads how each path ended: there is a change, gone is a deletion, born-and-gone is dropped', async () => {
    const changes = await settle(
      [
        { path: '/p/index.php', createdInBatch: false, last: 'unlink' },
        { path: '/p/.index.php.swp', createdInBatch: true, last: 'unlink' },
        { path: '/p/old.php', createdInBatch: false, last: 'unlink' },
        { path: '/p/new', createdInBatch: true, last: 'addDir' },
      ],
      fsOf({ '/p': 'directory', '/p/index.php': 'file', '/p/new': 'directory' }),
    );
    expect(changes).toEqual([
      { path: '/p/index.php', kind: 'changed', type: 'file' },
      { path: '/p/new', kind: 'changed', type: 'directory' },
      { path: '/p/old.php', kind: 'deleted' },
    ]);
  });
});

describe('settle with deleted folders', () => {
  it('adds the missing parent folders of deleted paths, up to the first that exists', async () => {
    const changes = await settle(
      [
        { path: '/p/html/burst/f1.txt', createdInBatch: false, last: 'unlink' },
        { path: '/p/html/burst/f2.txt', createdInBatch: false, last: 'unlink' },
        { path: '/p/html/gone/deep/x', createdInBatch: false, last: 'unlink' },
      ],
      fsOf({ '/p': 'directory', '/p/html': 'directory', '/p/html/gone': 'directory' }),
    );
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      'deleted /p/html/burst',
      'deleted /p/html/burst/f1.txt',
      'deleted /p/html/burst/f2.txt',
      'deleted /p/html/gone/deep',
      'deleted /p/html/gone/deep/x',
    ]);
  });
});

describe('settle with new folders', () => {
  it('counts everything a folder created in the batch holds, also what had no event of its own', async () => {
    const fs: Record<string, EntryType> = {
      '/p': 'directory',
      '/p/new': 'directory',
      '/p/new/a': 'file',
      '/p/new/b': 'file',
      '/p/new/sub': 'directory',
      '/p/new/sub/c': 'file',
      '/p/old': 'directory',
      '/p/old/x': 'file',
      '/p/old/y': 'file',
    };
    const listDir = async (dir: string) =>
      Object.keys(fs)
        .filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/'))
        .map((p) => p.slice(dir.length + 1));
    const changes = await settle(
      [
        { path: '/p/new', createdInBatch: true, last: 'addDir' },
        { path: '/p/new/a', createdInBatch: true, last: 'change' },
        { path: '/p/old/x', createdInBatch: false, last: 'change' },
      ],
      fsOf(fs),
      listDir,
    );
    // b and sub/c were created before the watcher watched the new folder: no events, still changes
    expect(changes.map((c) => `${c.path} ${c.type}`)).toEqual([
      '/p/new directory',
      '/p/new/a file',
      '/p/new/b file',
      '/p/new/sub directory',
      '/p/new/sub/c file',
      '/p/old/x file',
    ]);
  });
});
