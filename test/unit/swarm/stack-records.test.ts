import { describe, expect, it } from 'vitest';
import { formatServicePorts, serviceRecord, taskRecord } from '../../../src/cli/commands/stack.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../../../src/engine/swarm.js';

const service: SwarmService = {
  id: 'abcdefabcdef0123456789',
  version: 4,
  createdAt: '',
  updatedAt: '',
  spec: {
    Name: 'prod_nginx',
    Labels: { 'com.docker.stack.image': 'nginx:1.0' },
    TaskTemplate: { ContainerSpec: { Image: `sha256:${'3'.repeat(64)}` } },
    Mode: { Replicated: { Replicas: 2 } },
  },
  endpointPorts: [
    { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'ingress' },
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
  ],
  runningTasks: 1,
  desiredTasks: 2,
};

describe('stack services and stack ps records', () => {
  it('shows a service as docker stack services does, with the image the compose file names', () => {
    expect(serviceRecord(service, false)).toEqual({
      ID: 'abcdefabcdef',
      Name: 'prod_nginx',
      Mode: 'replicated',
      Replicas: '1/2',
      Image: 'nginx:1.0',
      Ports: '*:443->443/tcp, :8080->80/tcp',
    });
    expect(serviceRecord(service, true).Image).toBe(`sha256:${'3'.repeat(64)}`);
    expect(formatServicePorts([{ Protocol: 'udp', TargetPort: 53, PublishMode: 'ingress' }])).toBe('');
    const host = { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' } as const;
    expect(formatServicePorts([host, host])).toBe(':443->443/tcp');
  });

  it('shows a task by service and slot, its node, states and error; older tasks of a slot indented', () => {
    const task: SwarmTask = {
      id: 'task0123456789abcdef',
      serviceId: service.id,
      slot: 2,
      nodeId: 'n1',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '',
      desiredState: 'shutdown',
      state: 'failed',
      message: 'started',
      error: 'task: non-zero exit (137): dockerexec: unhealthy container',
      timestamp: '2026-01-01T00:00:00Z',
      containerSpec: { Image: `sha256:${'3'.repeat(64)}` },
      ports: [],
    };
    const nodes = new Map<string, SwarmNode>([
      ['n1', { id: 'n1', hostname: 'vm', role: 'manager', state: 'ready', availability: 'active' }],
    ]);
    const now = Date.parse('2026-01-01T00:03:00Z');
    expect(
      taskRecord(task, new Map([[service.id, service]]), nodes, { noTrunc: false, older: true, now }),
    ).toEqual({
      ID: 'task01234567',
      Name: ' \\_ prod_nginx.2',
      Image: 'nginx:1.0',
      Node: 'vm',
      DesiredState: 'Shutdown',
      CurrentState: 'Failed 3 minutes ago',
      Error: '"task: non-zero exit (137): dockerexec:…"',
      Ports: '',
    });
  });
});
