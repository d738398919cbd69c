import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isTsComposeError, type TsComposeError } from '../../src/core/errors.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { EngineEvent } from '../../src/engine/engine.js';
import { docker, dockerWithInput, removeProject, uniqueProject } from '../support/docker.js';

const project = uniqueProject('engine');
const label = `com.docker.compose.project=${project}`;
const engine = createDockerEngine({ env: {} });

const failure = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTsComposeError(error)).toBe(true);
  return error as TsComposeError;
};

const collect = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
};

describe('the Docker engine adapter', () => {
  afterAll(async () => {
    engine.close();
    await removeProject(project);
  });

  it('negotiates the API version with the engine', async () => {
    const version = await engine.version();
    expect(await engine.apiVersion()).toBe(version.apiVersion);
  });

  it('creates, starts, follows, execs, logs and removes a container', async () => {
    const name = `${project}-one-1`;
    const subscription = await engine.followEvents({ type: ['container'], label: [label] });
    const seen: EngineEvent[] = [];
    const reading = (async () => {
      for await (const event of subscription) {
        seen.push(event);
        if (event.action === 'start') break;
      }
    })();
    const id = await engine.createContainer({
      name,
      Image: 'debian:bookworm',
      Cmd: ['sh', '-c', 'echo out; echo err >&2; exec sleep infinity'],
      Labels: { 'com.docker.compose.project': project },
      HostConfig: { Init: true },
    });
    await engine.startContainer(id);
    await reading;
    subscription.close();
    expect(seen.map((e) => e.action)).toEqual(['create', 'start']);
    expect(seen[1]?.attributes.name).toBe(name);

    const [summary] = await engine.listContainers({ label: [label] });
    expect(summary).toMatchObject({ id, name, state: 'running', image: 'debian:bookworm' });

    const out = collect();
    const err = collect();
    const code = await engine.exec(id, {
      cmd: ['sh', '-c', 'cat; echo to-err >&2; exit 3'],
      tty: false,
      stdin: Object.assign(new PassThrough(), {}).end('from-stdin\n'),
      stdout: out.stream,
      stderr: err.stream,
    });
    expect(code).toBe(3);
    expect(out.text()).toBe('from-stdin\n');
    expect(err.text()).toBe('to-err\n');

    const logs = [];
    for await (const line of engine.containerLogs(id, { tail: 'all' })) logs.push(line);
    expect(logs).toEqual(
      expect.arrayContaining([
        { stream: 'stdout', text: 'out' },
        { stream: 'stderr', text: 'err' },
      ]),
    );

    await engine.stopContainer(id, 1);
    expect((await engine.inspectContainer(id)).state.status).toBe('exited');
    await engine.removeContainer(id);
  });

  it('translates engine errors into stable codes', async () => {
    expect((await failure(engine.inspectContainer(`${project}-missing`))).code).toBe('engine.not-found');
    expect(await engine.inspectNetwork(`${project}-missing`)).toBeUndefined();

    const spec = {
      name: `${project}-dup-1`,
      Image: 'debian:bookworm',
      Labels: { 'com.docker.compose.project': project },
    };
    await engine.createContainer(spec);
    const conflict = await failure(engine.createContainer(spec));
    expect(conflict.code).toBe('engine.conflict');
    expect(conflict.message).toContain(`create container ${project}-dup-1`);
  });

  it('names the port that is already in use', async () => {
    const base = {
      Image: 'debian:bookworm',
      Cmd: ['sleep', 'infinity'],
      Labels: { 'com.docker.compose.project': project },
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { Init: true, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18871' }] } },
    };
    const first = await engine.createContainer({ ...base, name: `${project}-p-1` });
    await engine.startContainer(first);
    const second = await engine.createContainer({ ...base, name: `${project}-p-2` });
    const error = await failure(engine.startContainer(second));
    expect(error.code).toBe('engine.port-in-use');
    expect(error.message).toContain('127.0.0.1:18871');
  });

  it('removes an image and keeps its untagged parents, the build cache (noprune, as Compose)', async () => {
    const tag = `${project}-cache:test`;
    const dockerfile = `FROM debian:bookworm\nRUN echo ${project} > /a\nRUN echo b > /b\n`;
    await dockerWithInput(dockerfile, ['build', '-q', '-t', tag, '--label', label, '-'], {
      DOCKER_BUILDKIT: '0',
    });
    const parent = await docker('image', 'inspect', '-f', '{{.Parent}}', tag);
    expect(parent).toMatch(/^sha256:/);
    try {
      await engine.removeImage(tag);
      expect(await engine.inspectImage(tag)).toBeUndefined();
      expect(await engine.inspectImage(parent)).toBeDefined();
    } finally {
      await docker('rmi', '-f', tag).catch(() => undefined);
      await docker('rmi', parent).catch(() => undefined);
    }
  });

  it('says the engine is unreachable, with the address and a fix', async () => {
    const nowhere = createDockerEngine({ env: { DOCKER_HOST: 'unix:///tmp/tscompose-no-such.sock' } });
    const error = await failure(nowhere.listContainers({ label: [] }));
    expect(error.code).toBe('engine.unreachable');
    expect(error.message).toContain('unix:///tmp/tscompose-no-such.sock');
    expect(error.hint).toContain('dockerd');
  });

  it('reports a tcp:// host that refuses as unreachable', async () => {
    const error = await failure(
      createDockerEngine({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } }).listContainers({ label: [] }),
    );
    expect(error.code).toBe('engine.unreachable');
    expect(error.message).toContain('tcp://127.0.0.1:1');
  });
});
