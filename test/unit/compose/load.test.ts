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

describe('loadProject: composition', () => {
  it('applies extends from another file with its paths, and chains', async () => {
    const { project } = await load({
      '/project/compose.yaml':
        'services:\n  web:\n    extends: {file: sub/base.yaml, service: base}\n    environment: {LEVEL: web}\n  worker:\n    extends: web\n    command: [work]\n',
      '/project/sub/base.yaml':
        'services:\n  base:\n    build: ./ctx\n    environment: {LEVEL: base, KEEP: kept}\n',
    });
    expect(project.services.web!.build!.context).toBe('/project/sub/ctx');
    expect(project.services.web!.environment).toEqual({ LEVEL: 'web', KEEP: 'kept' });
    expect(project.services.worker!.command).toEqual(['work']);
    expect(project.services.worker!.environment).toEqual({ LEVEL: 'web', KEEP: 'kept' });
  });

  it('includes another project with its own directory and .env, and refuses conflicts', async () => {
    const { project } = await load({
      '/project/compose.yaml': 'include: [db/compose.yaml]\nservices:\n  app: {image: x, depends_on: [db]}\n',
      '/project/db/compose.yaml':
        'services:\n  db:\n    image: "mariadb:${DB_TAG}"\n    volumes: [./init:/init]\n',
      '/project/db/.env': 'DB_TAG=11\n',
    });
    expect(project.services.db!.image).toBe('mariadb:11');
    expect(project.services.db!.volumes![0]!.source).toBe('/project/db/init');
    const error = await failure(
      load({
        '/project/compose.yaml': 'include: [inc.yaml]\nservices:\n  a: {image: x}\n',
        '/project/inc.yaml': 'services:\n  a: {image: y}\n',
      }),
    );
    expect(error.code).toBe('compose.include-conflict');
    expect(error.location).toMatchObject({ file: 'compose.yaml', line: 3 });
  });

  it('enables profiles from --profile or COMPOSE_PROFILES, keeps the others aside', async () => {
    const files = {
      '/project/compose.yaml':
        'services:\n  a: {image: x}\n  b: {image: x, profiles: [one]}\n  c: {image: x, profiles: [two]}\n',
    };
    expect(Object.keys((await load(files, { profiles: ['one'] })).project.services)).toEqual(['a', 'b']);
    const fromEnv = await load(files, {}, { env: { COMPOSE_PROFILES: 'two' } });
    expect(Object.keys(fromEnv.project.services)).toEqual(['a', 'c']);
    expect(Object.keys(fromEnv.project.disabled_services ?? {})).toEqual(['b']);
    expect(Object.keys((await load(files, { profiles: ['*'] })).project.services)).toEqual(['a', 'b', 'c']);
  });

  it('reads env_file into environment, which wins', async () => {
    const { project } = await load({
      '/project/compose.yaml':
        'services:\n  a:\n    image: x\n    env_file: [a.env, {path: missing.env, required: false}]\n    environment: {B: compose}\n',
      '/project/a.env': 'A=1\nB=file\nC=${A}-x\n',
    });
    expect(project.services.a!.environment).toEqual({ A: '1', B: 'compose', C: '1-x' });
    expect(project.services.a!.env_file).toBeUndefined();
  });

  it('reads a file from stdin with -f -', async () => {
    const { project, source } = await load(
      {},
      { files: ['-'] },
      { stdin: 'services:\n  a: {image: from-stdin}\n' },
    );
    expect(project.services.a!.image).toBe('from-stdin');
    expect(source.workingDir).toBe('/project');
  });

  it('keeps templates as written without interpolation', async () => {
    const { project } = await load(
      {
        '/project/compose.yaml':
          'services:\n  a:\n    image: "x:${TAG}"\n    ports: ["${P}:80"]\n    deploy: {replicas: "${N}"}\n',
      },
      { interpolate: false },
    );
    expect(project.services.a!.image).toBe('x:${TAG}');
    expect(project.services.a!.ports).toEqual(['${P}:80']);
  });

  it('warns about an obsolete version and unset variables', async () => {
    const { warnings } = await load({
      '/project/compose.yaml': 'version: "3.8"\nservices:\n  a: {image: "x:$NOPE"}\n',
    });
    expect(warnings).toEqual([
      'compose.yaml: the attribute "version" is obsolete and ignored; remove it to avoid confusion',
      'The "NOPE" variable is not set. Defaulting to a blank string.',
    ]);
  });

  it('validates a project name given with -p, normalizes one taken from the directory', async () => {
    const files = { '/Some Dir/compose.yaml': 'services:\n  a: {image: x}\n' };
    expect((await load(files, {}, { cwd: '/Some Dir' })).project.name).toBe('somedir');
    const error = await failure(load(files, { projectName: 'Bad' }, { cwd: '/Some Dir' }));
    expect(error.code).toBe('compose.invalid-project-name');
  });
});

describe('loadProject without normalization', () => {
  it('adds no defaults but still resolves environments and drops unused resources', async () => {
    const { project } = await load(
      {
        '/project/compose.yaml':
          'services:\n  a:\n    image: x\n    env_file: a.env\n    environment: [FROM_SHELL]\nvolumes: {unused: {}}\n',
        '/project/a.env': 'A=1\n',
      },
      { normalize: false },
      { env: { FROM_SHELL: 'yes' } },
    );
    expect(project.networks).toBeUndefined();
    expect(project.volumes).toBeUndefined();
    expect(project.services.a!.networks).toBeUndefined();
    expect(project.services.a!.environment).toEqual({ A: '1', FROM_SHELL: 'yes' });
  });
});
