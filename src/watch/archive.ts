import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { PathMapping } from './actions.js';

/** Files up to this size are read whole, so the archive holds exactly what was read. */
const READ_WHOLE_LIMIT = 8 * 1024 * 1024;

const entryName = (containerPath: string) => containerPath.replace(/^\/+/, '');

/**
 * A tar stream of the host paths, each named by its container path (relative to `/`), for
 * `PUT /containers/{id}/archive?path=/`: the engine unpacks it, so the image needs neither tar nor a
 * shell. Files, folders (as entries, not their contents) and symlinks keep their mode, owner and
 * time; a path that vanished since the batch settled is left out (its deletion comes next batch).
 */
export function syncArchive(copies: readonly PathMapping[]): Readable {
  const pack = tar.pack();
  const fill = async () => {
    for (const { hostPath, containerPath } of copies) {
      const stat = await lstat(hostPath).catch(() => undefined);
      if (!stat) continue;
      const header = {
        name: entryName(containerPath),
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
        mtime: stat.mtime,
      };
      if (stat.isDirectory()) pack.entry({ ...header, type: 'directory' });
      else if (stat.isSymbolicLink()) {
        const linkname = await readlink(hostPath).catch(() => undefined);
        if (linkname !== undefined) pack.entry({ ...header, type: 'symlink', linkname });
      } else if (stat.isFile() && stat.size <= READ_WHOLE_LIMIT) {
        const content = await readFile(hostPath).catch(() => undefined);
        if (content !== undefined) pack.entry({ ...header, type: 'file', size: content.length }, content);
      } else if (stat.isFile()) {
        await new Promise<void>((resolve, reject) => {
          const entry = pack.entry({ ...header, type: 'file', size: stat.size }, (error) =>
            error ? reject(error) : resolve(),
          );
          createReadStream(hostPath).on('error', reject).pipe(entry);
        });
      }
    }
    pack.finalize();
  };
  fill().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  // tar-stream's pack is a streamx stream; the Engine port takes a Node Readable
  return Readable.from(pack, { objectMode: false });
}

/**
 * The typeflag of a removal entry. The engine's unpacker removes whatever is at an entry's path
 * before it writes the entry (so a file can replace a folder), then refuses a type it does not know
 * ("unhandled tar header type 90"): one such entry removes one path without `rm` in the image. `Z`
 * is no type of POSIX, GNU or Go's tar.
 */
export const REMOVAL_TYPEFLAG = 'Z';

/** The engine's answer to a removal entry: the path was removed, then the entry refused. */
export const isRemovalRefusal = (message: string) => /unhandled tar header type 90\b/.test(message);

/**
 * A one-entry archive that removes `containerPath` (see REMOVAL_TYPEFLAG). tar-stream writes the
 * header (with a PAX record for long names); its typeflag is then changed and the checksum redone.
 */
export async function removalArchive(containerPath: string): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry(
    { name: entryName(containerPath), type: 'file', size: 0, mode: 0o644, mtime: new Date(0) },
    Buffer.alloc(0),
  );
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const archive = Buffer.concat(chunks);
  // the archive ends with the entry's header block and two zero blocks
  const header = archive.subarray(archive.length - 3 * 512, archive.length - 2 * 512);
  header[156] = REMOVAL_TYPEFLAG.charCodeAt(0);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return archive;
}
