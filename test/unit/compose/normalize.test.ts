import { describe, expect, it } from 'vitest';
import { checkConsistency } from '../../../src/compose/consistency.js';
import { PathIssue } from '../../../src/compose/issue.js';
import { normalizeProject, withoutUnusedResources } from '../../../src/compose/normalize.js';

const lookup = (k: string) => ({ HOME: '/root', ARG: 'from-env' })[k];

describe('normalizeProject', () => {
  it('adds the default network, engine names and build defaults', () => {
    const out = normalizeProject(
      {
        name: 'demo',
        services: {
          a: { image: 'x' },
          b: { build: { args: { ARG: null, MISSING: null, SET: '1' } }, network_mode: 'host' },
        },
        volumes: { data: {}, ext: { external: true } },
        networks: { named: { name: 'given' } },
      },
      lookup,
      '/project',
    );
    expect(out.services).toEqual({
      a: { image: 'x', networks: { default: null } },
      b: {
        build: { context: '/project', dockerfile: 'Dockerfile', args: { ARG: 'from-env', SET: '1' } },
        network_mode: 'host',
      },
    });
    expect(out.networks).toEqual({
      named: { name: 'given', ipam: {} },
      default: { name: 'demo_default', ipam: {} },
    });
    expect(out.volumes).toEqual({ data: { name: 'demo_data' }, ext: { name: 'ext', external: true } });
  });

  it('derives depends_on from links, shared namespaces and volumes_from', () => {
    const out = normalizeProject(
      {
        name: 'p',
        services: {
          a: { image: 'x', links: ['b:alias'], ipc: 'service:c', volumes_from: ['d:ro', 'container:e'] },
          b: { image: 'x' },
          c: { image: 'x' },
          d: { image: 'x' },
        },
      },
      lookup,
      '/p',
    );
    expect((out.services as Record<string, { depends_on?: unknown }>).a!.depends_on).toEqual({
      b: { condition: 'service_started', restart: true, required: true },
      c: { condition: 'service_started', restart: true, required: true },
      d: { condition: 'service_started', restart: false, required: true },
    });
  });

  it('keeps only the resources enabled services use', () => {
    const out = withoutUnusedResources({
      services: {
        a: {
          networks: { n: null },
          volumes: [{ type: 'volume', source: 'v', target: '/v' }],
          secrets: [{ source: 's' }],
        },
      },
      networks: { n: {}, unused: {} },
      volumes: { v: {}, unused: {} },
      secrets: { s: {}, unused: {} },
      configs: { unused: {} },
    });
    expect(out).toEqual({
      services: out.services,
      networks: { n: {} },
      volumes: { v: {} },
      secrets: { s: {} },
    });
  });
});

describe('checkConsistency', () => {
  const check = (project: Record<string, unknown>, disabled: string[] = []) => {
    try {
      checkConsistency(project, new Set(disabled));
      return undefined;
    } catch (error) {
      if (error instanceof PathIssue) return error;
      throw error;
    }
  };

  it('prints a dependency cycle', () => {
    const found = check({
      services: {
        a: { image: 'x', depends_on: { b: {} } },
        b: { image: 'x', depends_on: { c: {} } },
        c: { image: 'x', depends_on: { a: {} } },
      },
    });
    expect(found?.message).toBe('dependency cycle detected: a -> b -> c -> a');
  });

  it('refuses references to what does not exist, with a suggestion', () => {
    expect(
      check({ services: { a: { image: 'x', networks: { frnt: null } } }, networks: { front: {} } })?.hint,
    ).toBe('did you mean "front"?');
    expect(
      check({ services: { a: { image: 'x', volumes: [{ type: 'volume', source: 'v', target: '/v' }] } } })
        ?.code,
    ).toBe('compose.undefined-volume');
    expect(check({ services: { a: { image: 'x', depends_on: { b: {} } } } }, ['b'])?.message).toContain(
      'disabled by its profiles',
    );
    expect(
      check({ services: { a: { image: 'x', depends_on: { b: { required: false } } } } }),
    ).toBeUndefined();
    expect(check({ services: { a: {} } })?.code).toBe('compose.no-image');
  });

  it('refuses two settings of one thing with different values', () => {
    expect(
      check({
        services: { a: { image: 'x', mem_limit: 512, deploy: { resources: { limits: { memory: 256 } } } } },
      })?.path,
    ).toEqual(['services', 'a', 'mem_limit']);
    expect(
      check({ services: { a: { image: 'x', cpus: 0.5, deploy: { resources: { limits: { cpus: 0.5 } } } } } }),
    ).toBeUndefined();
  });
});
