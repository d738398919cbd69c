import { describe, expect, it } from 'vitest';
import { BUILD_DIGEST_LABEL } from '../../../src/build/digest.js';
import {
  decideBuilds,
  sourceStatus,
  withMissingBases,
  type ServiceBuildState,
} from '../../../src/build/needs-build.js';
import { extraHostsList, parseBuildArgs, resolveBuildSpec } from '../../../src/build/request.js';
import type { Project, ServiceConfig } from '../../../src/compose/model.js';

const state = (service: string, over: Partial<ServiceBuildState> = {}): ServiceBuildState => ({
  service,
  imageLabels: { [BUILD_DIGEST_LABEL]: `sha256:${service}` },
  digest: `sha256:${service}`,
  baseServices: [],
  ...over,
});

describe('decideBuilds', () => {
  const states = [
    state('base'),
    state('web', { baseServices: ['base'] }),
    state('api', { digest: 'sha256:new' }),
    state('db', { imageLabels: undefined }),
    state('legacy', { imageLabels: {} }),
    state('tool', { pullPolicy: 'build' }),
  ];

  it('builds missing images by default, every image with --build, none with --no-build', () => {
    expect([...decideBuilds(states, 'missing')]).toEqual([
      ['db', 'missing'],
      ['tool', 'pull-policy'],
    ]);
    expect(decideBuilds(states, 'always').size).toBe(6);
    expect(decideBuilds(states, 'never').size).toBe(0);
  });

  it('under --build=changed builds changed, missing and undigested images, and what starts from them', () => {
    const changedBase = states.map((s) => (s.service === 'base' ? { ...s, digest: 'sha256:edited' } : s));
    expect(Object.fromEntries(decideBuilds(changedBase, 'changed'))).toEqual({
      base: 'changed',
      web: 'base-rebuilt',
      api: 'changed',
      db: 'missing',
      legacy: 'unknown-sources',
      tool: 'pull-policy',
    });
    expect(sourceStatus(states[0]!)).toBe('up-to-date');
  });

  it('adds missing base images to an explicit selection', () => {
    const s = [state('base', { imageLabels: undefined }), state('web', { baseServices: ['base'] })];
    expect(withMissingBases(s, ['web'])).toEqual(['web', 'base']);
    expect(withMissingBases([state('base'), s[1]!], ['web'])).toEqual(['web']);
  });
});

describe('resolveBuildSpec', () => {
  const service = (over: Partial<ServiceConfig>): ServiceConfig => ({
    command: null,
    entrypoint: null,
    ...over,
  });
  const project = (services: Record<string, ServiceConfig>): Project => ({ name: 'proj', services });
  const options = { environment: { FROM_ENV: 'env-value', CLI_ENV: 'cli' }, version: '1.2.3' };

  it('names the image, resolves args from the environment and adds Compose labels', () => {
    const spec = resolveBuildSpec(
      project({
        web: service({
          build: {
            context: '/src/web',
            args: { A: '1', FROM_ENV: null, UNSET: null },
            labels: { team: 'x' },
            target: 'prod',
            tags: ['proj-web:v1'],
            extra_hosts: { 'db.local': ['10.0.0.2'] },
            shm_size: 1024,
            network: 'host',
          },
        }),
      }),
      'web',
      { ...options, buildArgs: ['A=2', 'CLI_ENV', 'NOPE'] },
    );
    expect(spec).toMatchObject({
      service: 'web',
      image: 'proj-web',
      tags: ['proj-web', 'proj-web:v1'],
      contextDir: '/src/web',
      dockerfile: { kind: 'file', path: 'Dockerfile' },
      args: { A: '2', FROM_ENV: 'env-value', CLI_ENV: 'cli' },
      target: 'prod',
      labels: { team: 'x' },
      composeLabels: {
        'com.docker.compose.project': 'proj',
        'com.docker.compose.service': 'web',
        'com.docker.compose.version': '1.2.3',
      },
      extraHosts: ['db.local:10.0.0.2'],
      shmSize: 1024,
      network: 'host',
      noCache: false,
      pull: false,
    });
    const named = resolveBuildSpec(
      project({
        db: service({ image: 'my/db:1', build: { context: '/src/db', dockerfile_inline: 'FROM x' } }),
      }),
      'db',
      { ...options, noCache: true },
    );
    expect(named).toMatchObject({
      image: 'my/db:1',
      dockerfile: { kind: 'inline', content: 'FROM x' },
      noCache: true,
    });
  });

  it('refuses git URLs and BuildKit-only features clearly', () => {
    const p = project({
      git: service({ build: { context: 'https://github.com/docker/welcome.git#main' } }),
      ssh: service({ build: { context: '/src', ssh: ['default'] } }),
    });
    expect(() => resolveBuildSpec(p, 'git', options)).toThrow(
      /not a local directory; remote build contexts \(git URLs, URLs\) are not supported/,
    );
    expect(() => resolveBuildSpec(p, 'ssh', options)).toThrow(/ssh: forwarding SSH agents is not supported/);
    expect(() => resolveBuildSpec(p, 'nope', options)).toThrow('no such service: nope');
  });

  it('reads --build-arg words and extra_hosts', () => {
    expect(parseBuildArgs(['A=1=2', 'B=', 'HOME'], { HOME: '/root' })).toEqual({
      A: '1=2',
      B: '',
      HOME: '/root',
    });
    expect(extraHostsList({ a: ['1.2.3.4', '::1'], b: ['host-gateway'] })).toEqual([
      'a:1.2.3.4',
      'a:::1',
      'b:host-gateway',
    ]);
  });
});
