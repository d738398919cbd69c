// The archive side of the Engine port on a real engine: put, stat, get, and a removal entry.
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { isRemovalRefusal, removalArchive } from '../../src/watch/archive.js';
import { docker, removeProject, uniqueProject } from '../support/docker.js';

const engine = createDockerEngine({ env: {} });
const project = uniqueProject('archive');

async function pack(files: Record<string, string>): Promise<Readable> {
  const p = tar.pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name, mode: 0o644 }, content);
  p.finalize();
  return Readable.from(p, { objectMode: false });
}

describe('container archives', () => {
  afterAll(async () => {
    engine.close();
    await removeProject(project);
  });

  it('puts files, stats them, reads them back, and removes one with a removal entry', async () => {
    const id = await engine.createContainer({
      name: `${project}-box-1`,
      Image: 'debian:bookworm',
      Cmd: ['sleep', 'infinity'],
      Labels: { 'com.docker.compose.project': project },
      HostConfig: { Init: true },
    });
    await engine.startContainer(id);
    await engine.putArchive(id, '/', await pack({ 'srv/a.txt': 'alpha', 'srv/sub/b.txt': 'beta' }));

    expect(await engine.statPath(id, '/srv/a.txt')).toMatchObject({ name: 'a.txt', size: 5, linkTarget: '' });
    expect(await engine.statPath(id, '/srv/missing')).toBeUndefined();

    const names: Record<string, string> = {};
    const extract = tar.extract();
    (await engine.getArchive(id, '/srv')).pipe(extract);
    for await (const entry of extract) {
      let body = '';
      for await (const chunk of entry) body += String(chunk);
      names[entry.header.name] = body;
    }
    expect(names).toMatchObject({ 'srv/a.txt': 'alpha', 'srv/sub/b.txt': 'beta' });

    const refusal = await engine.putArchive(id, '/', Readable.from([await removalArchive('/srv/sub')])).then(
      () => '',
      (e: Error) => e.message,
    );
    expect(isRemovalRefusal(refusal)).toBe(true);
    expect(await engine.statPath(id, '/srv/sub')).toBeUndefined();
    expect(await docker('exec', id, 'ls', '/srv')).toBe('a.txt');
  });
});
