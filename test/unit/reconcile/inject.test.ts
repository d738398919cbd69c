import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import type { FileInjection } from '../../../src/reconcile/convert.js';
import { injectFiles, parentDirectories } from '../../../src/reconcile/inject.js';

// What goes to the engine's archive API for secrets and configs that are not files: the archive's
// entries (read back with tar-stream), which folders get an entry, and when owners are kept.

const secret: FileInjection = {
  kind: 'secret',
  name: 'db_pw',
  target: '/run/secrets/db_pw',
  mode: 0o444,
  source: { environment: 'DB_PASSWORD' },
};
const config: FileInjection = {
  kind: 'config',
  name: 'site',
  target: '/etc/app/site.conf',
  mode: 0o440,
  uid: 1000,
  gid: 33,
  source: { content: 'listen 80;' },
};

interface Entry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  body: string;
}

async function entries(archive: Readable): Promise<Entry[]> {
  const out: Entry[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({
          name: header.name,
          type: header.type ?? '',
          mode: header.mode ?? 0,
          uid: header.uid ?? 0,
          gid: header.gid ?? 0,
          body: Buffer.concat(chunks).toString(),
        });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  archive.pipe(extract);
  await done;
  return out;
}

/** An engine whose container has only the given folders; records the archive it is sent. */
function fakeEngine(existing: string[]) {
  const puts: { id: string; path: string; entries: Promise<Entry[]>; copyUidGid?: boolean }[] = [];
  const stats: string[] = [];
  const engine = {
    statPath: async (_id: string, path: string) => {
      stats.push(path);
      return existing.includes(path)
        ? { name: path, size: 0, mode: 0, mtime: '', linkTarget: '' }
        : undefined;
    },
    putArchive: async (id: string, path: string, archive: Readable, options?: { copyUidGid?: boolean }) => {
      puts.push({ id, path, entries: entries(archive), copyUidGid: options?.copyUidGid });
    },
  } as unknown as Pick<Engine, 'putArchive' | 'statPath'>;
  return { engine, puts, stats };
}

describe('injectFiles', () => {
  it('lists the folders above a path, outermost first', () => {
    expect(parentDirectories('/run/secrets/db_pw')).toEqual(['/run', '/run/secrets']);
    expect(parentDirectories('/site')).toEqual([]);
  });

  it('sends one archive at / with each file, and entries only for the folders the container lacks', async () => {
    const { engine, puts, stats } = fakeEngine(['/run', '/etc']);
    await injectFiles(engine, 'c1', [secret, config], { DB_PASSWORD: 's3cret' });
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ id: 'c1', path: '/', copyUidGid: true });
    expect(await puts[0]!.entries).toEqual([
      { name: 'run/secrets/', type: 'directory', mode: 0o755, uid: 0, gid: 0, body: '' },
      { name: 'etc/app/', type: 'directory', mode: 0o755, uid: 0, gid: 0, body: '' },
      { name: 'run/secrets/db_pw', type: 'file', mode: 0o444, uid: 0, gid: 0, body: 's3cret' },
      { name: 'etc/app/site.conf', type: 'file', mode: 0o440, uid: 1000, gid: 33, body: 'listen 80;' },
    ]);
    // a folder under a missing one is not asked about
    const { engine: bare, puts: barePuts, stats: bareStats } = fakeEngine([]);
    await injectFiles(bare, 'c2', [secret], { DB_PASSWORD: 'x' });
    expect(bareStats).toEqual(['/run']);
    expect((await barePuts[0]!.entries).map((e) => e.name)).toEqual([
      'run/',
      'run/secrets/',
      'run/secrets/db_pw',
    ]);
    expect(barePuts[0]!.copyUidGid).toBe(false);
    expect(stats).toEqual(['/run', '/run/secrets', '/etc', '/etc/app']);
  });

  it('fails on an unset variable before sending anything, naming the variable and not a value', async () => {
    const { engine, puts } = fakeEngine(['/run']);
    await expect(injectFiles(engine, 'c1', [config, secret], { OTHER: 'visible' })).rejects.toThrow(
      'secret "db_pw" reads the environment variable DB_PASSWORD, which is not set',
    );
    expect(puts).toHaveLength(0);
  });
});
