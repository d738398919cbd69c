import { describe, expect, it } from 'vitest';
import { serviceSpec, stackNetworkSpec, type SwarmConvertContext } from '../../../src/swarm/convert.js';
import { smallProject } from './fixtures.js';

const context = (): SwarmConvertContext => ({
  project: smallProject(),
  stack: 'prod',
  images: { db: 'sha256:db', app: 'sha256:app', proxy: 'proxy:1.0' },
  secretNames: { db_password: 'prod_db_password-0123456789' },
  configNames: {},
  apiVersion: '1.41',
});

describe('serviceSpec', () => {
  it('converts a service with a health check, a secret and a bind-device volume', () => {
    expect(serviceSpec(context(), 'db')).toEqual({
      Name: 'prod_db',
      Labels: { 'com.docker.stack.namespace': 'prod', 'com.docker.stack.image': 'db:1.0' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'sha256:db',
          Labels: { 'com.docker.stack.namespace': 'prod' },
          Mounts: [
            {
              Type: 'volume',
              Source: 'prod_data',
              Target: '/var/lib/mysql',
              VolumeOptions: {
                Labels: { 'com.docker.stack.namespace': 'prod' },
                DriverConfig: {
                  Name: 'local',
                  Options: { type: 'none', o: 'bind', device: '/home/small/data' },
                },
              },
            },
          ],
          Healthcheck: {
            Test: ['CMD', 'healthcheck'],
            Interval: 5e9,
            Timeout: 5e9,
            Retries: 5,
            StartPeriod: 60e9,
          },
          Secrets: [
            {
              File: { Name: 'db_password', UID: '0', GID: '0', Mode: 0o444 },
              SecretName: 'prod_db_password-0123456789',
            },
          ],
        },
        RestartPolicy: { Condition: 'any', MaxAttempts: 0 },
        Networks: [{ Target: 'prod_front', Aliases: ['db'] }],
      },
      Mode: { Replicated: { Replicas: 1 } },
      UpdateConfig: {
        Parallelism: 1,
        Delay: 0,
        FailureAction: 'pause',
        Monitor: 5e9,
        MaxFailureRatio: 0,
        Order: 'stop-first',
      },
      RollbackConfig: {
        Parallelism: 1,
        Delay: 0,
        FailureAction: 'pause',
        Monitor: 5e9,
        MaxFailureRatio: 0,
        Order: 'stop-first',
      },
      EndpointSpec: { Mode: 'vip' },
    });
  });

  it('publishes ports in ingress or host mode, keeps network aliases, sorts the environment', () => {
    const ctx = context();
    Object.assign(ctx.project.services.proxy!, {
      environment: { B: '2', A: null },
      ports: [
        { mode: 'host', target: 80, published: '8080', protocol: 'tcp' },
        { mode: 'ingress', target: 443, published: '443', protocol: 'tcp' },
        { mode: 'ingress', target: 53, protocol: 'udp' },
      ],
    });
    const spec = serviceSpec(ctx, 'proxy');
    expect(spec.EndpointSpec).toEqual({
      Mode: 'vip',
      Ports: [
        { Protocol: 'udp', TargetPort: 53, PublishMode: 'ingress' },
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'ingress' },
      ],
    });
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual(['A', 'B=2']);
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'prod_front', Aliases: ['proxy', 'small.42.fr'] }]);
  });

  it('translates deploy: mode, resources, placement, restart policy, update and rollback config, labels', () => {
    const ctx = context();
    ctx.project.services.app!.deploy = {
      replicas: 3,
      labels: { tier: 'php' },
      resources: { limits: { cpus: 0.5, memory: 268435456, pids: 100 }, reservations: { memory: 67108864 } },
      placement: {
        constraints: ['node.role == worker'],
        preferences: [{ spread: 'node.labels.zone' }],
        max_replicas_per_node: 2,
      },
      restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 3, window: '1m0s' },
      update_config: { parallelism: 2, delay: '10s', order: 'start-first', failure_action: 'rollback' },
      rollback_config: { parallelism: 0 },
      endpoint_mode: 'dnsrr',
    };
    const spec = serviceSpec(ctx, 'app');
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 3 } });
    expect(spec.Labels).toEqual({
      tier: 'php',
      'com.docker.stack.namespace': 'prod',
      'com.docker.stack.image': 'app:1.0',
    });
    expect(spec.TaskTemplate.Resources).toEqual({
      Limits: { NanoCPUs: 5e8, MemoryBytes: 268435456, Pids: 100 },
      Reservations: { MemoryBytes: 67108864 },
    });
    expect(spec.TaskTemplate.Placement).toEqual({
      Constraints: ['node.role == worker'],
      Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
      MaxReplicas: 2,
    });
    expect(spec.TaskTemplate.RestartPolicy).toEqual({
      Condition: 'on-failure',
      Delay: 5e9,
      MaxAttempts: 3,
      Window: 60e9,
    });
    expect(spec.UpdateConfig).toEqual({
      Parallelism: 2,
      Delay: 10e9,
      FailureAction: 'rollback',
      Monitor: 5e9,
      MaxFailureRatio: 0,
      Order: 'start-first',
    });
    expect(spec.RollbackConfig?.Parallelism).toBe(0);
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    ctx.project.services.app!.deploy = { mode: 'global' };
    expect(serviceSpec(ctx, 'app').Mode).toEqual({ Global: {} });
  });

  it('maps restart: as Swarm restart conditions (no → none, on-failure:3 → on-failure)', () => {
    const ctx = context();
    ctx.project.services.app!.restart = 'no';
    expect(serviceSpec(ctx, 'app').TaskTemplate.RestartPolicy).toEqual({ Condition: 'none', MaxAttempts: 0 });
    ctx.project.services.app!.restart = 'on-failure:3';
    expect(serviceSpec(ctx, 'app').TaskTemplate.RestartPolicy).toEqual({
      Condition: 'on-failure',
      MaxAttempts: 3,
    });
  });

  it('refuses what it cannot express, at its place: a published port range, dnsrr with ingress ports', () => {
    const ctx = context();
    ctx.project.services.proxy!.ports = [
      { mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' },
    ];
    expect(() => serviceSpec(ctx, 'proxy')).toThrow(
      expect.objectContaining({ code: 'swarm.unsupported', location: { path: 'services.proxy.ports[0]' } }),
    );
    ctx.project.services.proxy!.ports = [{ mode: 'ingress', target: 80, published: '80', protocol: 'tcp' }];
    ctx.project.services.proxy!.deploy = { endpoint_mode: 'dnsrr' };
    expect(() => serviceSpec(ctx, 'proxy')).toThrow(expect.objectContaining({ code: 'swarm.dnsrr-ingress' }));
  });
});

describe('stackNetworkSpec', () => {
  it('makes a bridge network an overlay one, labelled with the stack', () => {
    expect(stackNetworkSpec(smallProject(), 'prod', 'front')).toEqual({
      Name: 'prod_front',
      Driver: 'overlay',
      Labels: { 'com.docker.stack.namespace': 'prod' },
    });
  });
});
