import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { REMOVAL_TYPEFLAG, removalArchive, syncArchive } from '../../../src/watch/archive.js';

async function entries(stream: Readable) {
  const out: {
    name: string;
    type: string | null | undefined;
    linkname?: string | null;
    body: string;
    mode?: number;
  }[] = [];
  const extract = tar.extract();
  stream.pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({
      name: entry.header.name,
      type: entry.header.type,
      linkname: entry.header.linkname,
      body: Buffer.concat(chunks).toString(),
      mode: entry.header.mode,
    });
  }
  return out;
}

describe('syncArchive', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names entries by container path and keeps files, folders, symlinks and modes; skips vanished paths', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-archive-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    await writeFile(join(dir, 'index.html'), '<h1>hello</h1>');
    await symlink('index.html', join(dir, 'home.html'));
    const list = await entries(
      syncArchive([
        { hostPath: join(dir, 'index.html'), containerPath: '/var/www/index.html' },
        { hostPath: join(dir, 'gone.html'), containerPath: '/var/www/gone.html' },
        { hostPath: join(dir, 'sub'), containerPath: '/var/www/sub' },
        { hostPath: join(dir, 'sub', 'run.sh'), containerPath: '/var/www/sub/run.sh' },
        { hostPath: join(dir, 'home.html'), containerPath: '/var/www/home.html' },
      ]),
    );
    expect(list.map(({ name, type, body }) => ({ name, type, body }))).toEqual([
      { name: 'var/www/index.html', type: 'file', body: '<h1>hello</h1>' },
      { name: 'var/www/sub', type: 'directory', body: '' },
      { name: 'var/www/sub/run.sh', type: 'file', body: '#!/bin/sh\necho hi\n' },
      { name: 'var/www/home.html', type: 'symlink', body: '' },
    ]);
    expect(list[2]!.mode).toBe(0o755);
    expect(list[3]!.linkname).toBe('index.html');
  });
});

describe('removalArchive', () => {
  const checksumOk = (header: Buffer) => {
    const stored = parseInt(header.subarray(148, 154).toString('latin1'), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    return stored === copy.reduce((a, b) => a + b, 0);
  };

  it('is one header of the removal type with a valid checksum, then the end of the archive', async () => {
    const archive = await removalArchive('/var/www/html/old.php');
    expect(archive.length).toBe(3 * 512);
    const header = archive.subarray(0, 512);
    expect(header.subarray(0, 21).toString()).toBe('var/www/html/old.php\0');
    expect(String.fromCharCode(header[156]!)).toBe(REMOVAL_TYPEFLAG);
    expect(checksumOk(header)).toBe(true);
    expect(archive.subarray(512).every((b) => b === 0)).toBe(true);
  });

  it('carries a long path in a PAX record before the header', async () => {
    const long = `/srv/${'deep/'.repeat(60)}file.txt`;
    const archive = await removalArchive(long);
    expect(archive.toString('latin1')).toContain(`path=${long.slice(1)}`);
    const header = archive.subarray(archive.length - 3 * 512, archive.length - 2 * 512);
    expect(String.fromCharCode(header[156]!)).toBe(REMOVAL_TYPEFLAG);
    expect(checksumOk(header)).toBe(true);
  });
});
