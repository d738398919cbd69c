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
