import { describe, expect, it } from 'vitest';
import { canonicalService } from '../../../src/compose/canonical.js';
import { mergeProject, mergeService, strip } from '../../../src/compose/merge.js';
import { Tagged } from '../../../src/compose/parse-yaml.js';

const canon = (s: Record<string, unknown>) =>
  canonicalService(s, ['services', 'x'], { warn: () => undefined });
const merged = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(strip(mergeService(canon(a), canon(b))))) as Record<string, unknown>;

describe('merge rules', () => {
  it('merges maps key by key and replaces scalars', () => {
    expect(
      merged({ image: 'a', environment: { A: '1', B: '2' } }, { image: 'b', environment: { B: '3' } }),
    ).toEqual({
      image: 'b',
      environment: { A: '1', B: '3' },
    });
  });

  it('replaces command, entrypoint and healthcheck.test whole', () => {
    expect(
      merged(
        { command: ['a', 'b'], healthcheck: { test: ['CMD', 'a'], retries: 3 } },
        { command: 'c', healthcheck: { test: ['CMD', 'b'] } },
      ),
    ).toEqual({
      command: ['c'],
      healthcheck: { test: ['CMD', 'b'], retries: 3 },
    });
  });

  it('makes ports unique by what was written, volumes and secrets by target', () => {
    const out = merged(
      { ports: ['8080:80', '9090:90'], volumes: ['./a:/data:ro', 'logs:/logs'], secrets: ['s'] },
      {
        ports: ['8080:80', { target: 90, published: 9090 }],
        volumes: ['./b:/data'],
        secrets: [{ source: 't', target: '/run/secrets/s' }],
      },
    );
    expect((out.ports as unknown[]).length).toBe(3);
    expect(out.volumes).toEqual([
      { type: 'bind', source: './b', target: '/data', bind: { create_host_path: true } },
      { type: 'volume', source: 'logs', target: '/logs', volume: {} },
    ]);
    expect(out.secrets).toEqual([{ source: 't', target: '/run/secrets/s' }]);
  });

  it('appends lists, keeping string lists unique', () => {
    expect(
      merged(
        { cap_add: ['A'], dns: ['1.1.1.1'], security_opt: ['x'] },
        { cap_add: ['B', 'A'], dns: ['1.1.1.1'], security_opt: ['x'] },
      ),
    ).toEqual({
      cap_add: ['A', 'B'],
      dns: ['1.1.1.1'],
      security_opt: ['x', 'x'],
    });
  });

  it('replaces logging when the driver changes, merges its options otherwise', () => {
    expect(merged({ logging: { driver: 'a', options: { x: 1 } } }, { logging: { driver: 'b' } })).toEqual({
      logging: { driver: 'b' },
    });
    expect(
      merged({ logging: { driver: 'a', options: { x: 1 } } }, { logging: { options: { y: 2 } } }),
    ).toEqual({
      logging: { driver: 'a', options: { x: '1', y: '2' } },
    });
  });

  it('keeps the base under a null, except in environment', () => {
    expect(
      merged({ image: 'a', environment: { A: '1' } }, { image: null, environment: { A: null } }),
    ).toEqual({
      image: 'a',
      environment: { A: null },
    });
  });

  it('applies !reset and !override, also across files', () => {
    const base = {
      services: {
        a: canon({ image: 'x', ports: ['80:80'], environment: { A: '1' } }),
        b: canon({ image: 'y' }),
      },
    };
    const file = mergeProject(
      {},
      {
        services: {
          a: { ports: new Tagged('reset', []), environment: new Tagged('override', { B: '2' }) },
          b: new Tagged('reset', null),
        },
      },
    );
    expect(strip(mergeProject(base, file))).toEqual({
      services: { a: { image: 'x', environment: { B: '2' } } },
    });
  });
});
