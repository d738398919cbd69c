import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import tar, { type Header, type Pack } from 'tar-stream';

type Headers = Partial<Header> & Pick<Header, 'name'>;
import { TsComposeError } from '../core/errors.js';
import { unreadable, walkContext, type PreparedContext } from './context.js';

type Sink = ReturnType<Pack['entry']>;

/** Adds one entry and resolves once tar-stream has taken it whole. */
function addEntry(pack: Pack, header: Headers, body?: Buffer): { sink: Sink; done: Promise<void> } {
  let sink!: Sink;
  const done = new Promise<void>((resolve, reject) => {
    const callback = (error?: Error | null) => (error ? reject(error) : resolve());
    sink = body === undefined ? pack.entry(header, callback) : pack.entry(header, body, callback);
  });
  return { sink, done };
}

/** Streams `size` bytes of a file into its tar entry, waiting whenever the tar is not being read. */
async function streamFile(context: PreparedContext, path: string, name: string, size: number, sink: Sink) {
  let written = 0;
  if (size > 0) {
    const file = createReadStream(path, { start: 0, end: size - 1 });
    try {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        written += chunk.byteLength;
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
    } catch (error) {
      throw unreadable(context, path, error);
    } finally {
      file.destroy();
    }
  }
  if (written !== size)
    throw new TsComposeError(
      `${name} changed while the build context of "${context.service}" was being sent`,
      {
        code: 'build.context-changed',
        hint: 'build again once the file is written',
      },
    );
  sink.end(undefined);
}

/**
 * The build context as a tar stream, produced as the engine reads it: one file open at a time and a
 * few chunks in flight, so a context of any size costs about the same memory. Entries keep their
 * permission bits, modification times and symlinks (not followed); owners are root, as the docker
 * CLI sends them. Errors (a file that cannot be read) fail the stream with a TsComposeError.
 */
export function packContext(context: PreparedContext): Readable {
  const pack = tar.pack();
  const root = { uid: 0, gid: 0 };
  const fill = async () => {
    for (const file of context.synthetic) {
      await addEntry(
        pack,
        { ...root, name: file.name, type: 'file', mode: file.mode, mtime: new Date(0) },
        file.content,
      ).done;
    }
    for await (const entry of walkContext(context)) {
      if (pack.destroyed) return;
      switch (entry.type) {
        case 'directory':
          await addEntry(pack, {
            ...root,
            name: entry.name,
            type: 'directory',
            mode: entry.mode,
            mtime: entry.mtime,
          }).done;
          break;
        case 'symlink':
          await addEntry(pack, {
            ...root,
            name: entry.name,
            type: 'symlink',
            linkname: entry.target,
            mode: entry.mode,
            mtime: entry.mtime,
          }).done;
          break;
        case 'file': {
          const { sink, done } = addEntry(pack, {
            ...root,
            name: entry.name,
            type: 'file',
            size: entry.size,
            mode: entry.mode,
            mtime: entry.mtime,
          });
          await Promise.all([streamFile(context, entry.path, entry.name, entry.size, sink), done]);
          break;
        }
        default: {
          const never: never = entry;
          throw new Error(`unexpected context entry ${String(never)}`);
        }
      }
    }
    pack.finalize();
  };
  fill().catch((error: unknown) => pack.destroy(error instanceof Error ? error : new Error(String(error))));
  // tar-stream's pack is a streamx stream; the Engine port (and docker-modem) take a Node Readable
  return Readable.from(pack, { objectMode: false });
}
