import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/compose/load.js';
import { isTsComposeError } from '../../../src/core/errors.js';
import { memoryIO } from '../../support/memory-io.js';

const load = (files: Record<string, string>, options = {}, io: Parameters<typeof memoryIO>[1] = {}) =>
  loadProject(options, memoryIO(files, io));

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTsComposeError(error)) throw new Error(`expected a TsComposeError, got ${String(error)}`);
  return error;
}

describe('loadProject', () => {
  it('finds compose.yaml and its override, names the project after the directory', async () => {
    const { project, source } = await load({
      '/project/compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n',
      '/project/compose.override.yaml': 'services:\n  web:\n    ports: ["8443:443"]\n',
    });
    expect(project.name).toBe('project');
    expect(source.configFiles).toEqual(['/project/compose.yaml', '/project/compose.override.yaml']);
    expect(project.services.web!.ports!.map((p) => p.published)).toEqual(['8080', '8443']);
    expect(project.networks).toEqual({ default: { name: 'project_default', ipam: {} } });
    expect(Object.isFrozen(project.services.web)).toBe(true);
  });

  it('looks in parent directories', async () => {
    const { source } = await load(
      { '/project/compose.yaml': 'services: {a: {image: x}}\n' },
      {},
      { cwd: '/project/sub/dir' },
    );
    expect(source.workingDir).toBe('/project');
  });

  it('interpolates from the shell over .env and names the project from COMPOSE_PROJECT_NAME', async () => {
    const { project } = await load(
      {
        '/project/compose.yaml':
          'services:\n  a:\n    image: "busybox:${TAG}"\n    container_name: "${COMPOSE_PROJECT_NAME}-a"\n',
        '/project/.env': 'TAG=dotenv\nCOMPOSE_PROJECT_NAME=demo\n',
      },
      {},
      { env: { TAG: 'shell' } },
    );
    expect(project.name).toBe('demo');
    expect(project.services.a!.image).toBe('busybox:shell');
    expect(project.services.a!.container_name).toBe('demo-a');
  });

  it('resolves relative paths against the project directory', async () => {
    const { project } = await load({
      '/project/compose.yaml':
        'services:\n  a:\n    build: ./app\n    volumes: ["./data:/data", "~/x:/x", "named:/n"]\nvolumes: {named: {}}\n',
    });
    expect(project.services.a!.build).toEqual({ context: '/project/app', dockerfile: 'Dockerfile' });
    expect(project.services.a!.volumes!.map((v) => v.source)).toEqual([
      '/project/data',
      '/home/user/x',
      'named',
    ]);
  });

  it('names the file, line, column and path of an unknown key, with a suggestion', async () => {
    const error = await failure(
      load({ '/project/compose.yaml': 'services:\n  web:\n    image: nginx\n    prots: ["80:80"]\n' }),
    );
    expect(error.exitCode).toBe(15);
    expect(error.location).toMatchObject({
      file: 'compose.yaml',
      line: 4,
      column: 5,
      path: 'services.web.prots',
    });
    expect(error.hint).toBe('did you mean "ports"?');
  });

  it('refuses a missing required variable where it is written', async () => {
    const error = await failure(
      load({ '/project/compose.yaml': 'services:\n  db:\n    image: "x:${T:?T must be set}"\n' }),
    );
    expect(error.message).toContain('T must be set');
    expect(error.location).toMatchObject({ line: 3, path: 'services.db.image' });
  });

  it('refuses a dependency cycle and prints it', async () => {
    const error = await failure(
      load({
        '/project/compose.yaml':
          'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n',
      }),
    );
    expect(error.message).toContain('a -> b -> a');
  });
});
