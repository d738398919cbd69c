import { lstat, readdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FSWatcher } from 'chokidar';
import type { EntryType, RawEvent } from './changes.js';

/** The file-system side of the watch: raw events for paths below the roots. */
export interface FileWatcher {
  /** Resolves once the initial scan is done: changes from then on are reported. */
  ready: Promise<void>;
  /** Watches these roots too from now on. */
  setRoots(roots: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface FileWatcherOptions {
  roots: readonly string[];
  /** Paths (and everything below) the watcher need not look at. */
  skip: (path: string) => boolean;
  onEvent: (event: RawEvent) => void;
  onError: (error: Error) => void;
}

export type FileWatcherFactory = (options: FileWatcherOptions) => FileWatcher;

/**
 * The folder to watch for a path: the path itself when it is a folder, else its parent, so that a
 * file saved by rename (a new inode under the old name) is still seen, and a file that does not
 * exist yet is seen when it appears.
 */
export async function watchRoot(path: string): Promise<string> {
  const s = await stat(path).catch(() => undefined);
  return s?.isDirectory() ? path : dirname(path);
}

/** What is at a path now (symlinks not followed), or undefined. */
export async function entryType(path: string): Promise<EntryType | undefined> {
  const s = await lstat(path).catch(() => undefined);
  if (!s) return undefined;
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other';
}

/** The names in a folder, or none when it cannot be read (it is gone, say). */
export async function folderNames(path: string): Promise<string[]> {
  return readdir(path).catch(() => []);
}

/** Removes roots that lie below another root. */
function outermost(roots: Iterable<string>): string[] {
  const sorted = [...new Set(roots)].sort();
  const out: string[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && (r === last || r.startsWith(last.endsWith('/') ? last : `${last}/`))) continue;
    out.push(r);
  }
  return out;
}

/**
 * chokidar (the only place that knows it) turned into raw events. Its own `atomic` handling stays
 * off: it would hold every deletion back 100 ms, and batches settle atomic saves anyway
 * (changes.ts). Symlinks are reported as themselves, not followed.
 */
export const chokidarWatcher: FileWatcherFactory = (options) => {
  const watcher = new FSWatcher({
    ignoreInitial: true,
    atomic: false,
    followSymlinks: false,
    persistent: true,
    ignored: (path: string) => options.skip(path),
  });
  let roots: string[] = [];
  const forward = (kind: RawEvent['kind']) => (path: string) => options.onEvent({ kind, path });
  watcher.on('add', forward('add'));
  watcher.on('change', forward('change'));
  watcher.on('unlink', forward('unlink'));
  watcher.on('addDir', forward('addDir'));
  watcher.on('unlinkDir', forward('unlinkDir'));
  watcher.on('error', (error) => options.onError(error instanceof Error ? error : new Error(String(error))));

  // Roots are only ever added: chokidar's unwatch of a folder also hides the folders below it that
  // are watched on their own. A root no trigger needs any more costs a few inotify watches, and the
  // skip function keeps its events out.
  const setRoots = async (wanted: readonly string[]) => {
    const next = outermost([...roots, ...(await Promise.all(wanted.map(watchRoot)))]);
    const added = next.filter((r) => !roots.includes(r));
    const first = roots.length === 0;
    roots = next;
    if (added.length === 0) return;
    const ready = first ? new Promise<void>((resolve) => watcher.once('ready', () => resolve())) : undefined;
    watcher.add(added);
    await ready;
  };
  const ready = setRoots(options.roots);
  return { ready, setRoots, close: () => watcher.close() };
};
