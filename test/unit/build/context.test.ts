import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareContext, withDockerfileText, type ContextSource } from '../../../src/build/context.js';
import { packContext } from '../../../src/build/context-tar.js';
import { buildDigest } from '../../../src/build/digest.js';
import { isTsComposeError } from '../../../src/core/errors.js';

interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  linkname?: string;
  content: string;
}

async function readTar(stream: Readable): Promise<TarEntry[]> {
  const extract = tar.extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const h = entry.header;
      entries.push({
        name: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        ...(h.linkname ? { linkname: h.linkname } : {}),
        content: Buffer.concat(chunks).toString(),
      });
    }
  })();
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return entries;
}

let dir: string;
const write = async (rel: string, content = rel, mode?: number) => {
  const path = join(dir, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  if (mode !== undefined) await chmod(path, mode);
};
const source = (over: Partial<ContextSource> = {}): ContextSource => ({
  service: 'web',
  contextDir: join(dir, 'ctx'),
  dockerfile: { kind: 'file', path: 'Dockerfile' },
  ...over,
});
const names = (entries: TarEntry[]) => entries.map((e) => e.name.replace(/\/$/, ''));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsc-context-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('build context tar', () => {
  it('sends the files in lexical order with their modes and symlinks, owned by root', async () => {
    await write('ctx/Dockerfile', 'FROM debian:bookworm\n');
    await write('ctx/run.sh', '#!/bin/sh\n', 0o755);
    await write('ctx/conf/site.conf', 'server {}', 0o600);
    await symlink('conf/site.conf', join(dir, 'ctx/link'));
    const context = await prepareContext(source());
    const entries = await readTar(packContext(context));
    expect(names(entries)).toEqual(['Dockerfile', 'conf', 'conf/site.conf', 'link', 'run.sh']);
    const byName = Object.fromEntries(entries.map((e) => [e.name.replace(/\/$/, ''), e]));
    expect(byName['run.sh']!.mode & 0o777).toBe(0o755);
    expect(byName['conf/site.conf']!.mode & 0o777).toBe(0o600);
    expect(byName['conf/site.conf']!.content).toBe('server {}');
    expect(byName['link']).toMatchObject({ type: 'symlink', linkname: 'conf/site.conf' });
    expect(byName['conf']!.type).toBe('directory');
    expect(entries.every((e) => e.uid === 0)).toBe(true);
    expect(context.dockerfileName).toBe('Dockerfile');
  });

  it('honours .dockerignore, with exceptions, and always sends the Dockerfile and .dockerignore', async () => {
    await write('ctx/Dockerfile', 'FROM x\n');
    await write(
      'ctx/.dockerignore',
      '# comment\nnode_modules\n*.log\n!keep.log\nsecret/\n!secret/public.txt\nDockerfile\n.dockerignore\n',
    );
    await write('ctx/node_modules/a/index.js');
    await write('ctx/app.js');
    await write('ctx/x.log');
    await write('ctx/keep.log');
    await write('ctx/sub/x.log');
    await write('ctx/secret/key.pem');
    await write('ctx/secret/public.txt');
    const entries = await readTar(packContext(await prepareContext(source())));
    expect(names(entries)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.js',
      'keep.log',
      'secret/public.txt',
      'sub',
      'sub/x.log',
    ]);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile and tells the engine its rules', async () => {
    await write('ctx/docker/web.Dockerfile', 'FROM x\n');
    await write('ctx/docker/web.Dockerfile.dockerignore', 'tests\n');
    await write('ctx/.dockerignore', 'src\n');
    await write('ctx/src/main.c');
    await write('ctx/tests/t.c');
    const context = await prepareContext(
      source({ dockerfile: { kind: 'file', path: 'docker/web.Dockerfile' } }),
    );
    expect(context.ignoreFile).toBe(join(dir, 'ctx/docker/web.Dockerfile.dockerignore'));
    const entries = await readTar(packContext(context));
    expect(names(entries)).toEqual([
      '.dockerignore',
      'docker',
      'docker/web.Dockerfile',
      'docker/web.Dockerfile.dockerignore',
      'src',
      'src/main.c',
    ]);
    expect(entries.find((e) => e.name === '.dockerignore')!.content).toBe('tests\n');
  });

  it('carries a Dockerfile from outside the context under a content name the engine ignores for COPY', async () => {
    await write('elsewhere/Dockerfile', 'FROM debian:bookworm\nCOPY . /app\n');
    await write('ctx/.dockerignore', 'tmp\n');
    await write('ctx/index.html');
    const context = await prepareContext(
      source({ dockerfile: { kind: 'file', path: join(dir, 'elsewhere/Dockerfile') } }),
    );
    expect(context.dockerfileName).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const entries = await readTar(packContext(context));
    expect(names(entries)).toEqual([context.dockerfileName, '.dockerignore', 'index.html']);
    expect(entries[0]!.content).toBe('FROM debian:bookworm\nCOPY . /app\n');
    expect(entries[1]!.content).toBe(`tmp\n${context.dockerfileName}\n`);
  });

  it('sends dockerfile_inline the same way', async () => {
    await write('ctx/a.txt');
    const context = await prepareContext(source({ dockerfile: { kind: 'inline', content: 'FROM x\n' } }));
    const entries = await readTar(packContext(context));
    expect(entries.map((e) => e.content)).toEqual(['FROM x\n', `${context.dockerfileName}\n`, 'ctx/a.txt']);
    expect(context.dockerfilePath).toBeUndefined();
  });

  it('sends another Dockerfile text under its own ignored name, the files of the directory as before', async () => {
    await write('ctx/Dockerfile', 'FROM x\n');
    await write('ctx/.dockerignore', 'tmp\nDockerfile\n');
    await write('ctx/a.txt');
    await write('ctx/tmp/b.txt');
    const labelled = withDockerfileText(await prepareContext(source()), 'FROM x\nLABEL "k"="v"\n');
    expect(labelled.dockerfileName).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const entries = await readTar(packContext(labelled));
    // the Dockerfile on disk is excluded by the rules: with the engine reading another, it is not sent
    expect(names(entries)).toEqual([labelled.dockerfileName, '.dockerignore', 'a.txt']);
    expect(entries[0]!.content).toBe('FROM x\nLABEL "k"="v"\n');
    expect(entries[1]!.content).toBe(`tmp\nDockerfile\n${labelled.dockerfileName}\n`);

    // inline: the first synthetic Dockerfile is replaced, and the tar's .dockerignore lists the new one
    await rm(join(dir, 'ctx/.dockerignore'));
    const inline = await prepareContext(source({ dockerfile: { kind: 'inline', content: 'FROM y\n' } }));
    const relabelled = withDockerfileText(inline, 'FROM y\nLABEL "k"="v"\n');
    const inlineEntries = await readTar(packContext(relabelled));
    expect(names(inlineEntries)).toEqual([
      relabelled.dockerfileName,
      '.dockerignore',
      'Dockerfile',
      'a.txt',
      'tmp',
      'tmp/b.txt',
    ]);
    expect(inlineEntries[1]!.content).toBe(`${relabelled.dockerfileName}\n`);
    expect(inlineEntries.some((e) => e.name === inline.dockerfileName)).toBe(false);
  });

  it('names a missing context or Dockerfile with the service and the path', async () => {
    await expect(prepareContext(source())).rejects.toMatchObject({ code: 'build.context-missing' });
    await write('ctx/other');
    const error: unknown = await prepareContext(source()).catch((e: unknown) => e);
    expect(isTsComposeError(error) && error.code).toBe('build.dockerfile-missing');
    expect((error as Error).message).toContain(join(dir, 'ctx/Dockerfile'));
    expect((error as Error).message).toContain('"web"');
  });
});

describe('build digest', () => {
  const settings = { args: { A: '1' }, labels: {} };

  it('changes with content, modes, new files and settings, not with times or ignored files', async () => {
    await write('ctx/Dockerfile', 'FROM x\n');
    await write('ctx/.dockerignore', '*.tmp\n');
    await write('ctx/app.sh', 'echo 1\n');
    const digest = async (s = settings) => buildDigest(await prepareContext(source()), s);
    const first = await digest();
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);

    await utimes(join(dir, 'ctx/app.sh'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    await write('ctx/scratch.tmp', 'ignored');
    expect(await digest()).toBe(first);

    await chmod(join(dir, 'ctx/app.sh'), 0o755);
    const afterChmod = await digest();
    expect(afterChmod).not.toBe(first);

    await write('ctx/app.sh', 'echo 2\n', 0o755);
    const afterEdit = await digest();
    expect(afterEdit).not.toBe(afterChmod);

    expect(await digest({ args: { A: '2' }, labels: {} })).not.toBe(afterEdit);
    await write('ctx/new.txt');
    expect(await digest()).not.toBe(afterEdit);
  });
});
