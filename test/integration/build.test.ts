// Builds real images on the daemon through buildServices and the engine's build call (build-image.ts
// with a dockerode client made here), then checks them with the docker CLI as an independent witness.
import Docker from 'dockerode';
import { mkdir, mkdtemp, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServices,
  createServiceImageBuilder,
  planBuilds,
  sourceStatuses,
  type BuildServicesOptions,
} from '../../src/build/build-services.js';
import { BUILD_DIGEST_LABEL } from '../../src/build/digest.js';
import { BuildFailedError } from '../../src/build/failure.js';
import type { Project, ServiceConfig } from '../../src/compose/model.js';
import type { ProgressEvent } from '../../src/core/events.js';
import { buildImage } from '../../src/engine/build-image.js';
import type { Engine, ImageSummary } from '../../src/engine/engine.js';
import { docker, removeProjectImages, uniqueProject } from '../support/docker.js';

const client = new Docker();
const engine: Pick<Engine, 'buildImage' | 'inspectImage'> = {
  buildImage: (request) => buildImage(client, request),
  async inspectImage(ref): Promise<ImageSummary | undefined> {
    try {
      const info = await client.getImage(ref).inspect();
      return {
        id: info.Id,
        repoTags: info.RepoTags,
        labels: info.Config.Labels ?? {},
        created: 0,
        size: info.Size,
      };
    } catch {
      return undefined;
    }
  },
};

const projectName = uniqueProject('build');
let root: string;

async function write(rel: string, content: string, mode?: number) {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  if (mode !== undefined) await chmod(path, mode);
}

const service = (build: ServiceConfig['build'], over: Partial<ServiceConfig> = {}): ServiceConfig => ({
  command: null,
  entrypoint: null,
  build,
  ...over,
});
const project = (services: Record<string, ServiceConfig>): Project => ({ name: projectName, services });
const options: BuildServicesOptions = { environment: { FROM_ENV: 'from-the-environment' }, version: 'test' };

function collect() {
  const events: ProgressEvent[] = [];
  return { events, onEvent: (e: ProgressEvent) => events.push(e) };
}

const run = (image: string, script: string) =>
  docker('run', '--rm', '--entrypoint', 'sh', image, '-c', script);
const imageId = (image: string) => docker('image', 'inspect', '-f', '{{.Id}}', image);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tsc-build-'));
});

afterAll(async () => {
  await removeProjectImages(projectName);
  await rm(root, { recursive: true, force: true });
});

describe('building service images on the engine', () => {
  it('applies build args (from the file, the environment and --build-arg) and the target stage', async () => {
    await write(
      'args/Dockerfile',
      [
        'FROM debian:bookworm AS base',
        'ARG GREETING=default',
        'ARG FROM_ENV',
        'ARG CLI',
        'RUN echo "$GREETING $FROM_ENV $CLI" > /greeting',
        'FROM base AS dev',
        'RUN echo dev > /stage',
        'FROM base AS prod',
        'RUN echo prod > /stage',
      ].join('\n'),
    );
    const p = project({
      app: service({
        context: join(root, 'args'),
        args: { GREETING: 'hello', FROM_ENV: null },
        target: 'dev',
        labels: { 'org.example.team': 'inception' },
      }),
    });
    const { events, onEvent } = collect();
    const [built] = await buildServices(
      p,
      ['app'],
      { ...options, buildArgs: ['CLI=from-cli'] },
      engine,
      onEvent,
    );
    expect(built!.image).toBe(`${projectName}-app`);
    expect(await run(built!.image, 'cat /greeting /stage')).toBe('hello from-the-environment from-cli\ndev');
    const labels = JSON.parse(
      await docker('image', 'inspect', '-f', '{{json .Config.Labels}}', built!.image),
    );
    expect(labels).toMatchObject({
      'com.docker.compose.project': projectName,
      'com.docker.compose.service': 'app',
      'com.docker.compose.version': 'test',
      'org.example.team': 'inception',
      [BUILD_DIGEST_LABEL]: built!.digest,
    });
    expect(events[0]).toMatchObject({
      type: 'resource',
      kind: 'service',
      id: 'app',
      status: 'working',
      text: 'Building',
    });
    expect(events.some((e) => e.type === 'output' && e.line.startsWith('Step 5/'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'resource', id: 'app', status: 'done', text: 'Built' });
  });

  it('labels an image without a target in one step, values as written, and COPY . sees the same files', async () => {
    await write('labels/Dockerfile', 'FROM debian:bookworm\nCOPY . /ctx\n');
    await write('labels/a', 'a\n');
    const labels = { 'org.example.quote': 'say "hi" to $HOME, back\\slash', 'org.example.it': "it's = x" };
    const p = project({ labels: service({ context: join(root, 'labels'), labels }) });
    const [built] = await buildServices(p, ['labels'], options, engine, () => {});
    expect(
      JSON.parse(await docker('image', 'inspect', '-f', '{{json .Config.Labels}}', built!.image)),
    ).toEqual({
      ...labels,
      'com.docker.compose.project': projectName,
      'com.docker.compose.service': 'labels',
      'com.docker.compose.version': 'test',
      [BUILD_DIGEST_LABEL]: built!.digest,
    });
    const steps = (await docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', built!.image))
      .split('\n')
      .filter((line) => line.includes('LABEL'));
    expect(steps).toHaveLength(1);
    expect((await run(built!.image, 'ls -A /ctx')).split('\n')).toEqual(['Dockerfile', 'a']);
  });

  it('passes extra_hosts, shm_size and network to the build, and tags every name in build.tags', async () => {
    await write(
      'hosts/Dockerfile',
      'FROM debian:bookworm\nRUN getent hosts db.internal > /hosts && df -k /dev/shm | tail -1 > /shm\n',
    );
    const p = project({
      hosts: service({
        context: join(root, 'hosts'),
        extra_hosts: { 'db.internal': ['10.11.12.13'] },
        shm_size: 128 * 1024 * 1024,
        network: 'bridge',
        tags: [`${projectName}-hosts:v1`, `${projectName}-extra:latest`],
      }),
    });
    const [built] = await buildServices(p, ['hosts'], options, engine, () => {});
    expect(built!.tags).toEqual([
      `${projectName}-hosts`,
      `${projectName}-hosts:v1`,
      `${projectName}-extra:latest`,
    ]);
    expect(await run(built!.image, 'cat /hosts')).toMatch(/^10\.11\.12\.13\s+db\.internal/);
    expect((await run(built!.image, 'cat /shm')).split(/\s+/)[1]).toBe(String(128 * 1024));
    const ids = await Promise.all(built!.tags.map(imageId));
    expect(new Set(ids).size).toBe(1);
  });

  it('keeps .dockerignore’d files out of the image, and modes and symlinks in', async () => {
    await write('ignore/Dockerfile', 'FROM debian:bookworm\nCOPY . /ctx\n');
    await write('ignore/.dockerignore', 'secrets\n*.log\n!important.log\nDockerfile\n.dockerignore\n');
    await write('ignore/app/run.sh', '#!/bin/sh\necho run\n', 0o750);
    await write('ignore/secrets/key.pem', 'private');
    await write('ignore/debug.log', 'noise');
    await write('ignore/important.log', 'kept');
    await symlink('app/run.sh', join(root, 'ignore/start'));
    const p = project({ files: service({ context: join(root, 'ignore') }) });
    const [built] = await buildServices(p, ['files'], options, engine, () => {});
    const listing = await run(
      built!.image,
      'cd /ctx && find . | sort && stat -c %a app/run.sh && readlink start',
    );
    expect(listing.split('\n')).toEqual([
      '.',
      './app',
      './app/run.sh',
      './important.log',
      './start',
      '750',
      'app/run.sh',
    ]);
  });

  it('reports a failing RUN with its step, its output and its exit status, and keeps the previous image', async () => {
    await write('fail/Dockerfile', 'FROM debian:bookworm\nRUN echo ok > /ok\n');
    const p = project({ broken: service({ context: join(root, 'fail') }) });
    const [first] = await buildServices(p, ['broken'], options, engine, () => {});
    const before = await imageId(first!.image);

    await write(
      'fail/Dockerfile',
      'FROM debian:bookworm\n# the step that fails\nRUN echo "compiling..." && echo "error: missing header" >&2 && exit 7\n',
    );
    const { events, onEvent } = collect();
    const error = await buildServices(p, ['broken'], options, engine, onEvent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failure = error as BuildFailedError;
    expect(failure.message).toBe(
      'service "broken" failed to build: step 2/3 (RUN echo "compiling..." && echo "error: missing header" >&2 && exit 7) exited with status 7',
    );
    expect(failure.exitCode).not.toBe(0);
    expect(failure.location).toEqual({
      file: join(root, 'fail/Dockerfile'),
      line: 3,
      path: 'services.broken.build',
    });
    expect(failure.details).toContain('  | compiling...');
    expect(failure.details).toContain('  | error: missing header');
    expect(
      events.some((e) => e.type === 'output' && e.stream === 'stderr' && e.line === 'error: missing header'),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'resource',
      id: 'broken',
      status: 'error',
      text: 'Failed',
      detail: 'step 2/3 exited with status 7',
    });
    expect(await imageId(first!.image)).toBe(before);
  });

  it('says which base image is missing when no registry answers', async () => {
    const missing = `${projectName}-nosuchbase:1`;
    await write('nobase/Dockerfile', `FROM ${missing}\nRUN true\n`);
    const p = project({ orphan: service({ context: join(root, 'nobase') }) });
    const error = (await buildServices(p, ['orphan'], options, engine, () => {}).catch(
      (e: unknown) => e,
    )) as BuildFailedError;
    expect(error.code).toBe('build.base-image-missing');
    expect(error.message).toContain(`base image "${missing}" of service "orphan" is not on the engine`);
    expect(error.hint).toContain('make base-image');
  });

  it('builds a service whose image another one starts FROM first, and the rest in parallel', async () => {
    await write('chain/base/Dockerfile', 'FROM debian:bookworm\nRUN echo base > /layer\n');
    await write('chain/web/Dockerfile', `FROM ${projectName}-base\nRUN cat /layer > /seen\n`);
    const p = project({
      web: service({ context: join(root, 'chain/web') }),
      base: service({ context: join(root, 'chain/base') }),
    });
    const { events, onEvent } = collect();
    await buildServices(p, ['web', 'base'], options, engine, onEvent);
    const order = events.flatMap((e) => (e.type === 'resource' ? [`${e.id} ${e.text}`] : []));
    expect(order).toEqual(['base Building', 'base Built', 'web Building', 'web Built']);
    expect(await run(`${projectName}-web`, 'cat /seen')).toBe('base');
  });

  it('gives `up` a per-service builder that builds a base first, once, whoever asks first', async () => {
    await write('upchain/base/Dockerfile', 'FROM debian:bookworm\nRUN echo up-base > /layer\n');
    await write('upchain/app/Dockerfile', `FROM ${projectName}-upbase\nRUN cat /layer > /seen\n`);
    const p = project({
      upapp: service({ context: join(root, 'upchain/app') }),
      upbase: service({ context: join(root, 'upchain/base') }),
    });
    const { events, onEvent } = collect();
    const buildFor = createServiceImageBuilder(p, ['upapp', 'upbase'], options, engine, onEvent);
    // the executor may start the dependent first, and even one at a time
    await buildFor('upapp', `${projectName}-upapp`, undefined);
    await buildFor('upbase', `${projectName}-upbase`, undefined);
    expect(await run(`${projectName}-upapp`, 'cat /seen')).toBe('up-base');
    expect(events.every((e) => e.type === 'output')).toBe(true);
    const firstLines = ['upbase', 'upapp'].map((s) =>
      events.findIndex((e) => e.type === 'output' && e.id === `${projectName}-${s}`),
    );
    expect(firstLines[0]).toBeLessThan(firstLines[1]!);
    expect(events.filter((e) => e.type === 'output' && /^Successfully built/.test(e.line))).toHaveLength(2);
  });

  it('rebuilds exactly the service whose sources changed under --build=changed', async () => {
    for (const name of ['one', 'two']) {
      await write(`changed/${name}/Dockerfile`, 'FROM debian:bookworm\nCOPY page.html /srv/\n');
      await write(`changed/${name}/page.html`, `<h1>${name}</h1>`);
    }
    const p = project({
      one: service({ context: join(root, 'changed/one') }),
      two: service({ context: join(root, 'changed/two') }),
    });
    expect(Object.fromEntries(await planBuilds(p, ['one', 'two'], 'missing', options, engine))).toEqual({
      one: 'missing',
      two: 'missing',
    });
    await buildServices(p, ['one', 'two'], options, engine, () => {});
    expect((await planBuilds(p, ['one', 'two'], 'changed', options, engine)).size).toBe(0);
    const twoBefore = await imageId(`${projectName}-two`);

    await write('changed/one/page.html', '<h1>one, edited</h1>');
    expect(Object.fromEntries(await sourceStatuses(p, ['one', 'two'], options, engine))).toEqual({
      one: 'changed',
      two: 'up-to-date',
    });
    const plan = await planBuilds(p, ['one', 'two'], 'changed', options, engine);
    expect(Object.fromEntries(plan)).toEqual({ one: 'changed' });
    const { events, onEvent } = collect();
    await buildServices(p, [...plan.keys()], { ...options, reasons: plan }, engine, onEvent);
    expect(events[0]).toMatchObject({
      id: 'one',
      text: 'Building',
      detail: 'sources changed since the image was built',
    });
    expect(await run(`${projectName}-one`, 'cat /srv/page.html')).toBe('<h1>one, edited</h1>');
    expect(await imageId(`${projectName}-two`)).toBe(twoBefore);
    expect((await planBuilds(p, ['one', 'two'], 'changed', options, engine)).size).toBe(0);
  });

  it('runs three independent builds in parallel', async () => {
    const names = ['p1', 'p2', 'p3'];
    for (const name of names)
      await write(
        `parallel/${name}/Dockerfile`,
        `FROM debian:bookworm\nRUN sleep 3 && echo ${name} > /name\n`,
      );
    const p = project(
      Object.fromEntries(names.map((n) => [n, service({ context: join(root, `parallel/${n}`) })])),
    );
    const start = Date.now();
    const built = await buildServices(p, names, { ...options, noCache: true }, engine, () => {});
    const wall = Date.now() - start;
    const sum = built.reduce((total, b) => total + b.durationMs, 0);
    expect(sum).toBeGreaterThan(9000);
    // one after another would take the sum; in parallel, little more than the longest
    expect(wall).toBeLessThan(sum * 0.6);
  });

  it('cancels a running build when the signal fires', async () => {
    await write('cancel/Dockerfile', `FROM debian:bookworm\nRUN sleep 30; echo ${projectName}\n`);
    const p = project({ slow: service({ context: join(root, 'cancel') }) });
    const controller = new AbortController();
    const { events, onEvent } = collect();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1500);
    const error = await buildServices(
      p,
      ['slow'],
      { ...options, noCache: true },
      engine,
      onEvent,
      controller.signal,
    ).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(events.at(-1)).toMatchObject({ id: 'slow', status: 'error', text: 'Canceled' });
    // the engine stops the build and removes its container
    const buildContainers = async () =>
      (await docker('ps', '-a', '--no-trunc', '--format', '{{.Command}}'))
        .split('\n')
        .filter((c) => c.includes(projectName)).length;
    await expect.poll(buildContainers, { timeout: 20_000, interval: 500 }).toBe(0);
  });
});
