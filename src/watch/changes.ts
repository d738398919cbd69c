import { dirname, join } from 'node:path';

/**
 * File changes, from the raw events of the file watcher to what rules read.
 *
 * Raw events say what the watcher saw happen to a path; a batch keeps, per path, whether it existed
 * before the batch began and what was seen last. Settling a batch looks at the file system once, at
 * its end: a path that exists is `changed`, one that is gone is `deleted`, and one that appeared and
 * vanished within the batch (an editor's temporary file of an atomic save) is dropped. So an atomic
 * write-and-rename is one change of the saved file, whatever names the editor used on the way.
 */

export type RawEventKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface RawEvent {
  kind: RawEventKind;
  /** Absolute host path. */
  path: string;
}

/** One path of a batch, before the file system is asked how it ended. */
export interface PendingChange {
  path: string;
  /** The first event of the batch was a creation: the path did not exist when the batch began. */
  createdInBatch: boolean;
  /** The last event seen. */
  last: RawEventKind;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** A settled change: what rules map to actions. */
export interface FileChange {
  /** Absolute host path. */
  path: string;
  kind: 'changed' | 'deleted';
  /** For `changed`: what is there now. */
  type?: EntryType;
}

/** Folds one raw event into the pending changes of a batch. */
export function addRawEvent(pending: Map<string, PendingChange>, event: RawEvent): void {
  const known = pending.get(event.path);
  if (known) known.last = event.kind;
  else
    pending.set(event.path, {
      path: event.path,
      createdInBatch: event.kind === 'add' || event.kind === 'addDir',
      last: event.kind,
    });
}

/** What is at a path now: its type, or undefined when nothing is (injected: the file system). */
export type EntryTypeOf = (path: string) => Promise<EntryType | undefined>;

/** The names in a folder that the watch looks at (injected: the file system). */
export type ListDir = (path: string) => Promise<string[]>;

/**
 * Asks the file system how each pending path ended (see the module comment). A deleted path's
 * missing parent folders are deleted changes too, so removing a folder of 1,000 files is one
 * removal of the folder even when its own event comes in a later batch. With `listDir`, what a
 * folder created in the batch holds is changed too, reported or not: the file watcher reads a new
 * folder and only then watches it, so a file created in between has no event of its own. Sorted
 * by path.
 */
export async function settle(
  pending: Iterable<PendingChange>,
  typeOf: EntryTypeOf,
  listDir?: ListDir,
): Promise<FileChange[]> {
  const items = [...pending];
  const known = new Map<string, Promise<EntryType | undefined>>();
  const lookUp = (path: string) => {
    let type = known.get(path);
    if (!type) {
      type = typeOf(path);
      known.set(path, type);
    }
    return type;
  };
  const out = new Map<string, FileChange>();
  await Promise.all(
    items.map(async (p) => {
      const type = await lookUp(p.path);
      if (type !== undefined) out.set(p.path, { path: p.path, kind: 'changed', type });
      else if (!p.createdInBatch) out.set(p.path, { path: p.path, kind: 'deleted' });
    }),
  );
  if (listDir) {
    const walked = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      if (walked.has(dir)) return;
      walked.add(dir);
      const names = await listDir(dir).catch(() => []);
      await Promise.all(
        names.map(async (name) => {
          const path = join(dir, name);
          const type = await lookUp(path);
          if (type === undefined) return;
          if (!out.has(path)) out.set(path, { path, kind: 'changed', type });
          if (type === 'directory') await walk(path);
        }),
      );
    };
    const pendingByPath = new Map(items.map((p) => [p.path, p]));
    const created = [...out.values()].filter(
      (c) => c.type === 'directory' && pendingByPath.get(c.path)?.createdInBatch,
    );
    await Promise.all(created.map((c) => walk(c.path)));
  }
  const deleted = [...out.values()].filter((c) => c.kind === 'deleted').map((c) => c.path);
  for (const path of deleted)
    for (
      let parent = dirname(path);
      parent !== dirname(parent) && !out.has(parent);
      parent = dirname(parent)
    ) {
      if ((await lookUp(parent)) !== undefined) break;
      out.set(parent, { path: parent, kind: 'deleted' });
    }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
