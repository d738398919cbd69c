// The executor against an in-memory swarm: it makes the calls the plan says, fills secret ids, waits
// for tasks, and gives up on repeated failures. The planner and the real engine are tested elsewhere.
import { describe, expect, it } from 'vitest';
import { TsComposeError } from '../../../src/core/errors.js';
import type { ProgressEvent } from '../../../src/core/events.js';
import type { NetworkCreateSpec } from '../../../src/engine/engine.js';
import type { ServiceSpec, SwarmEngine, SwarmService, SwarmTask } from '../../../src/engine/swarm.js';
import { executeDeployPlan } from '../../../src/swarm/execute.js';
import type { DeployPlan } from '../../../src/swarm/operations.js';
import { planDeploy } from '../../../src/swarm/plan.js';
import { contents, emptySwarm, smallProject } from './fixtures.js';

/** Services whose tasks reach `outcome` after `polls` looks at them. */
function fakeSwarm(outcome: 'running' | 'failed', polls = 2) {
  const calls: string[] = [];
  const services = new Map<string, SwarmService>();
  const looks = new Map<string, number>();
  const secrets: { id: string; name: string }[] = [];
  let n = 0;
  const tasksOf = (s: SwarmService): SwarmTask[] => {
    const seen = looks.get(s.id) ?? 0;
    looks.set(s.id, seen + 1);
    const state = seen < polls ? 'starting' : outcome;
    const count = outcome === 'failed' ? Math.max(1, seen - polls + 1) : 1;
    return Array.from({ length: count }, (_, i) => ({
      id: `${s.id}-t${i}`,
      serviceId: s.id,
      slot: 1,
      nodeId: 'node1',
      createdAt: '',
      updatedAt: '',
      desiredState: state === 'failed' ? 'shutdown' : 'running',
      state,
      message: state,
      error: state === 'failed' ? 'task: non-zero exit (1)' : '',
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      containerSpec: s.spec.TaskTemplate.ContainerSpec,
      ports: [],
    }));
  };
  const swarm: SwarmEngine = {
    swarmState: () => Promise.reject(new Error('not used')),
    listNodes: () => Promise.resolve([]),
    listServices: () => Promise.resolve([...services.values()]),
    inspectService: (id) =>
      Promise.resolve([...services.values()].find((s) => s.id === id || s.spec.Name === id)),
    createService: (spec: ServiceSpec) => {
      calls.push(
        `create service ${spec.Name} secrets=${(spec.TaskTemplate.ContainerSpec.Secrets ?? []).map((r) => r.SecretID).join(',')}`,
      );
      const id = `svc${++n}`;
      services.set(id, { id, version: 1, createdAt: '', updatedAt: '', spec, endpointPorts: [] });
      return Promise.resolve({ id, warnings: [] });
    },
    updateService: () => Promise.reject(new Error('not used')),
    removeService: () => Promise.resolve(),
    listTasks: (filter) =>
      Promise.resolve([...services.values()].filter((s) => filter.service?.includes(s.id)).flatMap(tasksOf)),
    listSecrets: () => Promise.resolve(secrets.map((s) => ({ ...s, labels: {}, createdAt: '' }))),
    createSecret: (spec) => {
      calls.push(`create secret ${spec.Name}`);
      const id = `sec${++n}`;
      secrets.push({ id, name: spec.Name });
      return Promise.resolve(id);
    },
    removeSecret: () => Promise.resolve(),
    listConfigs: () => Promise.resolve([]),
    createConfig: () => Promise.reject(new Error('not used')),
    removeConfig: () => Promise.resolve(),
    imageIdentity: () => Promise.resolve(undefined),
  };
  const engine = {
    createNetwork: (spec: NetworkCreateSpec) => {
      calls.push(`create network ${spec.Name} ${spec.Driver ?? ''}`);
      return Promise.resolve('net1');
    },
    inspectNetwork: () => Promise.resolve(undefined),
    removeNetwork: () => Promise.resolve(),
  };
  return { swarm, engine, calls };
}

describe('executeDeployPlan', () => {
  it('creates in plan order, gives services the ids of the secrets they mount, and waits for healthy tasks', async () => {
    const { swarm, engine, calls } = fakeSwarm('running');
    const events: ProgressEvent[] = [];
    const plan = planDeploy(smallProject(), emptySwarm(), { contents });
    await executeDeployPlan(plan, { swarm, engine, progress: (e) => events.push(e), pollMs: 1 });
    expect(calls).toEqual([
      'create network small_front overlay',
      expect.stringMatching(/^create secret small_db_password-[0-9a-f]{10}$/),
      expect.stringMatching(/^create service small_db secrets=sec\d$/),
      expect.stringMatching(/^create service small_app secrets=sec\d$/),
      'create service small_proxy secrets=',
    ]);
    const db = events
      .filter((e) => e.type === 'resource' && e.id === 'small_db')
      .map((e) => e.type === 'resource' && `${e.text}${e.detail ? ` (${e.detail})` : ''}`);
    expect(db).toEqual([
      'Creating',
      'Created',
      'Waiting (0/1 running, a task is starting)',
      'Healthy (1/1 running)',
    ]);
  });

  it('stops the deploy when a service’s tasks keep failing, before its dependents are deployed', async () => {
    const { swarm, engine, calls } = fakeSwarm('failed', 0);
    const plan = planDeploy(smallProject(), emptySwarm(), { contents });
    const error = await executeDeployPlan(plan, { swarm, engine, progress: () => {}, pollMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TsComposeError);
    expect(error).toMatchObject({
      code: 'swarm.service-failed',
      message:
        'service small_db did not become healthy: 3 tasks failed, the last one: task: non-zero exit (1)',
    });
    expect(calls.filter((c) => c.startsWith('create service')).length).toBe(1);
  });

  it('retries removing a network while the tasks of removed services still hold it', async () => {
    const { swarm } = fakeSwarm('running');
    let attempts = 0;
    const engine = {
      createNetwork: () => Promise.resolve('x'),
      inspectNetwork: () => Promise.resolve(undefined),
      removeNetwork: () =>
        ++attempts < 3
          ? Promise.reject(
              new TsComposeError('cannot remove network st_front: network st_front is in use by task abc', {
                code: 'engine.error',
              }),
            )
          : Promise.resolve(),
    };
    const plan: DeployPlan = {
      stack: 'st',
      operations: [{ id: 'n', after: [], kind: 'remove-network', name: 'st_front' }],
      warnings: [],
      secretIds: {},
      configIds: {},
    };
    await executeDeployPlan(plan, { swarm, engine, progress: () => {}, pollMs: 1 });
    expect(attempts).toBe(3);
  });
});
