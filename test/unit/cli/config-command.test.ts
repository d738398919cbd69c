import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/config.js';
import type { CliContext, GlobalOptions } from '../../../src/cli/context.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsc-config-'));
  await writeFile(
    join(dir, 'compose.yaml'),
    'services:\n  web:\n    image: "nginx:${TAG:-1}"\n    volumes: [data:/d]\n  tool:\n    build: .\n    profiles: [tools]\nvolumes: {data: {}}\n',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function config(
  options: Record<string, unknown>,
  global: GlobalOptions = {},
  env: Record<string, string> = {},
  args: string[] = [],
) {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _e, done) {
        append(String(chunk));
        done();
      },
    });
  const ctx: CliContext = {
    argv: [],
    env,
    cwd: dir,
    stdin: new PassThrough(),
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    signal: new AbortController().signal,
  };
  await run(ctx, { args, options: { format: 'yaml', ...options }, global });
  return { out, err };
}

describe('tscompose config', () => {
  it('prints the model as JSON', async () => {
    const { out } = await config({ format: 'json' });
    const model = JSON.parse(out) as { name: string; services: Record<string, { image: string }> };
    expect(model.name).toBe(
      dir
        .split('/')
        .pop()!
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, ''),
    );
    expect(model.services.web!.image).toBe('nginx:1');
    expect(Object.keys(model.services)).toEqual(['web']);
  });

  it('lists services, volumes, networks, profiles, images and variables', async () => {
    expect((await config({ services: true }, { profile: ['tools'] })).out).toBe('tool\nweb\n');
    expect((await config({ volumes: true })).out).toBe('data\n');
    expect((await config({ networks: true })).out).toBe('default\n');
    expect((await config({ profiles: true })).out).toBe('tools\n');
    const images = (await config({ images: true }, { projectName: 'demo', profile: ['*'] })).out;
    expect(images).toBe('demo-tool\nnginx:1\n');
    expect((await config({ variables: true })).out).toContain('TAG                 false               1');
    expect((await config({ environment: true }, {}, { TAG: '2' })).out).toContain('TAG=2\n');
  });

  it('prints nothing with -q, writes to a file with -o', async () => {
    expect((await config({ quiet: true })).out).toBe('');
    const target = join(dir, 'out.yaml');
    expect((await config({ output: target })).out).toBe('');
    expect(await readFile(target, 'utf8')).toContain('image: nginx:1');
  });

  it('keeps templates with --no-interpolate', async () => {
    expect((await config({ interpolate: false })).out).toContain('image: nginx:${TAG:-1}');
  });
});

describe('tscompose config --hash', () => {
  it('prints Docker Compose’s config hash of each service', async () => {
    const { out } = await config({ hash: '*' }, { projectName: 'demo' });
    expect(out).toMatch(/^web [0-9a-f]{64}\n$/);
    // the same service gives the same hash; another image, another hash
    expect((await config({ hash: 'web' }, { projectName: 'demo' })).out).toBe(out);
    expect((await config({ hash: 'web' }, { projectName: 'demo' }, { TAG: '2' })).out).not.toBe(out);
  });

  it('refuses an unknown service', async () => {
    await expect(config({ hash: 'nope' })).rejects.toThrow('no such service: nope');
  });
});

describe('tscompose config SERVICE', () => {
  it('prints only the named services, their dependencies and what they use', async () => {
    const dir2 = await mkdtemp(join(tmpdir(), 'tsc-config-select-'));
    try {
      await writeFile(
        join(dir2, 'compose.yaml'),
        'services:\n  app: {image: a, depends_on: [db]}\n  db: {image: d, volumes: [data:/d]}\n  other: {image: o, networks: [side]}\nvolumes: {data: {}}\nnetworks: {side: {}}\n',
      );
      const saved = dir;
      dir = dir2;
      try {
        const model = JSON.parse((await config({ format: 'json' }, {}, {}, ['app'])).out) as Record<
          string,
          object
        >;
        expect(Object.keys(model.services!)).toEqual(['app', 'db']);
        expect(Object.keys(model.volumes!)).toEqual(['data']);
        expect(Object.keys(model.networks!)).toEqual(['default']);
        await expect(config({}, {}, {}, ['nope'])).rejects.toThrow('no such service: nope');
      } finally {
        dir = saved;
      }
    } finally {
      await rm(dir2, { recursive: true, force: true });
    }
  });
});
