import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import tar from 'tar-stream';
import { isTsComposeError } from '../core/errors.js';
import type { Engine } from '../engine/engine.js';
import type { PathMapping } from './actions.js';
import { relativeTo } from './ignore.js';
import { canSkip, triggerAccepts, type WatchTrigger } from './triggers.js';

/** What a path holds, compared by content: a file's sha256, a symlink's target, a folder. */
type Fingerprint =
  { type: 'file'; digest: string } | { type: 'symlink'; target: string } | { type: 'directory' };

const same = (a: Fingerprint, b: Fingerprint | undefined) =>
  b !== undefined &&
  a.type === b.type &&
  (a.type !== 'file' || (b.type === 'file' && a.digest === b.digest)) &&
  (a.type !== 'symlink' || (b.type === 'symlink' && a.target === b.target));

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The trigger's host files (what it accepts), by container path. */
async function hostFingerprints(
  trigger: WatchTrigger,
): Promise<Map<string, { hostPath: string; print: Fingerprint }>> {
  const out = new Map<string, { hostPath: string; print: Fingerprint }>();
  const target = trigger.target!;
  const visit = async (path: string): Promise<void> => {
    const stat = await lstat(path).catch(() => undefined);
    if (!stat) return;
    const rel = relativeTo(trigger.path, path) ?? '';
    const containerPath = rel === '' ? target : posix.join(target, rel);
    const accepted = triggerAccepts(trigger, path);
    if (stat.isDirectory()) {
      if (rel !== '' && accepted) out.set(containerPath, { hostPath: path, print: { type: 'directory' } });
      if (rel !== '' && canSkip([trigger], [], path)) return;
      const names = await readdir(path).catch(() => [] as string[]);
      await Promise.all(names.map((name) => visit(`${path}/${name}`)));
    } else if (!accepted) return;
    else if (stat.isSymbolicLink()) {
      const linkTarget = await readlink(path).catch(() => undefined);
      if (linkTarget !== undefined)
        out.set(containerPath, { hostPath: path, print: { type: 'symlink', target: linkTarget } });
    } else if (stat.isFile()) {
      const digest = await sha256OfFile(path).catch(() => undefined);
      if (digest !== undefined) out.set(containerPath, { hostPath: path, print: { type: 'file', digest } });
    }
  };
  await visit(trigger.path);
  return out;
}

/** What the container holds below `target`, by container path, read from its archive. */
async function containerFingerprints(
  engine: Pick<Engine, 'getArchive'>,
  containerId: string,
  target: string,
  signal?: AbortSignal,
): Promise<Map<string, Fingerprint>> {
  const out = new Map<string, Fingerprint>();
  let archive;
  try {
    archive = await engine.getArchive(containerId, target, signal);
  } catch (error) {
    if (isTsComposeError(error) && error.code === 'engine.not-found') return out;
    throw error;
  }
  // entries are named from the target's base name: `html/index.php` for /var/www/html
  const base = posix.dirname(target);
  const extract = tar.extract();
  archive.pipe(extract);
  for await (const entry of extract) {
    const name = posix.join(base, entry.header.name);
    if (entry.header.type === 'file') {
      const hash = createHash('sha256');
      for await (const chunk of entry) hash.update(chunk as Buffer);
      out.set(name, { type: 'file', digest: hash.digest('hex') });
      continue;
    }
    entry.resume();
    if (entry.header.type === 'directory') out.set(name.replace(/\/+$/, ''), { type: 'directory' });
    else if (entry.header.type === 'symlink')
      out.set(name, { type: 'symlink', target: entry.header.linkname ?? '' });
  }
  return out;
}

/**
 * The files of a sync trigger that differ between the host and a container, by content digest
 * (time stamps say nothing across a checkout or an image build): files missing in the container or
 * with another content, symlinks with another target, missing folders. Files only the container
 * has are left alone: they may come from the image.
 */
export async function initialSyncCopies(
  engine: Pick<Engine, 'getArchive'>,
  trigger: WatchTrigger,
  containerId: string,
  signal?: AbortSignal,
): Promise<PathMapping[]> {
  if (!trigger.target) return [];
  const [host, container] = await Promise.all([
    hostFingerprints(trigger),
    containerFingerprints(engine, containerId, trigger.target, signal),
  ]);
  const copies: PathMapping[] = [];
  for (const [containerPath, { hostPath, print }] of host)
    if (!same(print, container.get(containerPath))) copies.push({ hostPath, containerPath });
  return copies.sort((a, b) =>
    a.containerPath < b.containerPath ? -1 : a.containerPath > b.containerPath ? 1 : 0,
  );
}
