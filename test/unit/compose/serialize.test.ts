import { describe, expect, it } from 'vitest';
import type { Project } from '../../../src/compose/model.js';
import { serializeProject } from '../../../src/compose/serialize.js';

const project = {
  name: 'demo',
  services: {
    web: {
      name: 'web',
      image: 'nginx',
      command: null,
      entrypoint: null,
      environment: { COST: '$5' },
      mem_limit: 1024,
      extra_hosts: { b: ['2.2.2.2'], a: ['1.1.1.1'] },
      networks: { default: null },
      'x-private': 1,
    },
  },
  networks: { default: { name: 'demo_default', ipam: {} } },
  disabled_services: { off: { image: 'x' } },
} as unknown as Project;

describe('serializeProject', () => {
  it('prints Compose’s JSON: sorted top level, strings for sizes, host=ip lines, $ doubled', () => {
    const json = JSON.parse(serializeProject(project, { format: 'json', escapeDollars: true })) as Record<
      string,
      unknown
    >;
    expect(Object.keys(json)).toEqual(['name', 'networks', 'services']);
    expect(json.services).toEqual({
      web: {
        command: null,
        entrypoint: null,
        environment: { COST: '$$5' },
        extra_hosts: ['a=1.1.1.1', 'b=2.2.2.2'],
        image: 'nginx',
        mem_limit: '1024',
        networks: { default: null },
      },
    });
  });

  it('prints YAML with name and services first', () => {
    const yaml = serializeProject(project, { format: 'yaml', escapeDollars: false });
    expect(yaml.startsWith('name: demo\nservices:\n  web:\n')).toBe(true);
    expect(yaml).toContain('COST: $5');
    expect(yaml).toContain('mem_limit: "1024"');
  });
});

describe('Go omitempty', () => {
  it('leaves out false and 0 where compose-go’s field is not a pointer, keeps them where it is', () => {
    const p = {
      name: 'p',
      services: {
        a: {
          image: 'x',
          tty: false,
          init: false,
          read_only: false,
          healthcheck: { test: ['CMD', 'x'], retries: 0, disable: false },
          depends_on: { b: { condition: 'service_started', restart: false, required: false } },
        },
        b: { image: 'y' },
      },
    } as unknown as Project;
    const a = (
      JSON.parse(serializeProject(p, { format: 'json', escapeDollars: true })) as {
        services: Record<string, unknown>;
      }
    ).services.a;
    expect(a).toEqual({
      command: null,
      depends_on: { b: { condition: 'service_started', required: false } },
      entrypoint: null,
      healthcheck: { test: ['CMD', 'x'], retries: 0 },
      image: 'x',
      init: false,
    });
  });
});

describe('empty fields in YAML and JSON', () => {
  const deployProject = {
    name: 'dp',
    services: {
      'empty-parts': {
        name: 'empty-parts',
        image: 'debian:bookworm',
        deploy: { replicas: 2, resources: {}, placement: {} },
        networks: { default: null },
      },
      'limits-only': {
        name: 'limits-only',
        image: 'debian:bookworm',
        deploy: { resources: { limits: { cpus: 0.5, memory: 67108864 } } },
        networks: { default: null },
      },
      vol: {
        name: 'vol',
        image: 'debian:bookworm',
        volumes: [{ type: 'volume', source: 'data', target: '/data', volume: {} }],
        develop: { watch: [{ path: '/src', action: 'sync', target: '/app' }] },
      },
    },
    networks: { default: { name: 'dp_default', ipam: {} } },
    volumes: { data: { name: 'dp_data' } },
  } as unknown as Project;

  it('YAML leaves out null fields and empty structs held by value, as Compose v2.26 prints them', () => {
    // the services and network as `docker compose config` (v2.26.1) printed them for the same model
    expect(serializeProject(deployProject, { format: 'yaml', escapeDollars: false })).toBe(
      [
        'name: dp',
        'services:',
        '  empty-parts:',
        '    deploy:',
        '      replicas: 2',
        '    image: debian:bookworm',
        '    networks:',
        '      default: null',
        '  limits-only:',
        '    deploy:',
        '      resources:',
        '        limits:',
        '          cpus: 0.5',
        '          memory: "67108864"',
        '    image: debian:bookworm',
        '    networks:',
        '      default: null',
        '  vol:',
        '    develop:',
        '      watch:',
        '        - path: /src',
        '          action: sync',
        '          target: /app',
        '    image: debian:bookworm',
        '    volumes:',
        '      - type: volume',
        '        source: data',
        '        target: /data',
        '        volume: {}',
        'networks:',
        '  default:',
        '    name: dp_default',
        'volumes:',
        '  data:',
        '    name: dp_data',
        '',
      ].join('\n'),
    );
  });

  it('JSON writes Go’s always-present fields, as Compose does (and as its config hash sees them)', () => {
    const json = JSON.parse(serializeProject(deployProject, { format: 'json', escapeDollars: false })) as {
      services: Record<string, Record<string, unknown>>;
      networks: Record<string, unknown>;
    };
    expect(json.services['empty-parts']).toMatchObject({
      command: null,
      entrypoint: null,
      deploy: { replicas: 2, resources: {}, placement: {} },
    });
    expect(json.services['limits-only']!.deploy).toEqual({
      resources: { limits: { cpus: 0.5, memory: '67108864' } },
      placement: {},
    });
    expect(json.services.vol!.develop).toEqual({
      watch: [{ path: '/src', action: 'sync', target: '/app', exec: { command: null } }],
    });
    expect(json.networks.default).toEqual({ name: 'dp_default', ipam: {} });
  });
});
