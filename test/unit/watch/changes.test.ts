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
