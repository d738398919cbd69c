import { describe, expect, it } from 'vitest';
import type { ContainerSpec, SwarmService, SwarmTask } from '../../../src/engine/swarm.js';
import { serviceConvergence } from '../../../src/swarm/wait.js';

const spec: ContainerSpec = { Image: 'sha256:new', Env: ['A=1'] };
const old: ContainerSpec = { Image: 'sha256:old', Env: ['A=1'] };

const service = (replicas: number, update?: SwarmService['updateStatus']): SwarmService => ({
  id: 's1',
  version: 3,
  createdAt: '',
  updatedAt: '',
  spec: {
    Name: 'st_web',
    TaskTemplate: { ContainerSpec: spec },
    Mode: { Replicated: { Replicas: replicas } },
  },
  endpointPorts: [],
  updateStatus: update,
});

let n = 0;
const task = (state: string, extra: Partial<SwarmTask> = {}): SwarmTask => ({
  id: `t${++n}`,
  serviceId: 's1',
  slot: 1,
  nodeId: 'node1',
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  updatedAt: '',
  desiredState: 'running',
  state,
  message: state,
  error: '',
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  containerSpec: spec,
  ports: [],
  ...extra,
});

const options = { failedBefore: new Set<string>(), maxFailures: 3 };

describe('serviceConvergence', () => {
  it('converges when as many tasks of the current spec run as the service wants', () => {
    expect(serviceConvergence(service(2), [task('running'), task('running', { slot: 2 })], options)).toEqual({
      state: 'converged',
      detail: '2/2 running',
    });
  });

  it('is pending while a task starts (its health check has not passed) or an old task still runs', () => {
    expect(serviceConvergence(service(1), [task('starting')], options)).toEqual({
      state: 'pending',
      detail: '0/1 running, a task is starting',
    });
    const rolling = [task('running', { containerSpec: old }), task('running')];
    expect(serviceConvergence(service(1), rolling, options).state).toBe('pending');
    expect(
      serviceConvergence(service(1, { state: 'updating', message: '' }), [task('running')], options),
    ).toEqual({
      state: 'pending',
      detail: '1/1 running, updating',
    });
  });

  it('fails after repeated task failures of the new spec, not for failures from before the wait', () => {
    const failed = (i: number) =>
      task('failed', { desiredState: 'shutdown', error: `task: non-zero exit (${i})` });
    const tasks = [failed(1), failed(2), task('starting')];
    expect(serviceConvergence(service(1), tasks, options)).toEqual({
      state: 'pending',
      detail: '0/1 running, 2 failed: task: non-zero exit (2)',
    });
    const third = [...tasks, failed(3)];
    expect(serviceConvergence(service(1), third, options)).toEqual({
      state: 'failed',
      detail: '3 tasks failed, the last one: task: non-zero exit (3)',
    });
    const before = new Set(third.filter((t) => t.state === 'failed').map((t) => t.id));
    expect(serviceConvergence(service(1), third, { ...options, failedBefore: before }).state).toBe('pending');
  });

  it('fails when the update was paused or rolled back', () => {
    expect(
      serviceConvergence(
        service(1, { state: 'paused', message: 'update paused due to failure' }),
        [],
        options,
      ),
    ).toEqual({
      state: 'failed',
      detail: 'the update is paused: update paused due to failure',
    });
    expect(
      serviceConvergence(
        service(1, { state: 'rollback_completed', message: 'rollback completed' }),
        [],
        options,
      ).state,
    ).toBe('failed');
  });
});
