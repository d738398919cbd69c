import { describe, expect, it } from 'vitest';
import { TsComposeError } from '../../../src/core/errors.js';
import type { ProgressEvent } from '../../../src/core/events.js';
import type { ContainerDetails, Engine, EventSubscription } from '../../../src/engine/engine.js';
import { executePlan } from '../../../src/reconcile/execute.js';
import type { Operation, Plan } from '../../../src/reconcile/operations.js';
import { judge } from '../../../src/reconcile/wait.js';
import { containerDetails } from '../../support/engine-fakes.js';

// The executor against a fake engine: order, limits and failures are its own logic; what the
// engine does with the calls is covered by the integration tests.

const container = (name: string) => ({ name, service: name, number: 1 });
const details = (state: Partial<ContainerDetails['state']>) => containerDetails({ state });

function fakeEngine(overrides: Partial<Engine>) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const slow = (what: string) => async (id: string) => {
    calls.push(`${what} ${id}`);
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
  };
  // an event stream that stays open and says nothing: waits decide from inspection
  const never: EventSubscription = {
    close: () => {},
    [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<never>>(() => {}) }),
  };
  const engine = {
    startContainer: slow('start'),
    stopContainer: slow('stop'),
    followEvents: async () => never,
    containerLogs: async function* () {},
    ...overrides,
  } as unknown as Engine;
  return { engine, calls, maxActive: () => maxActive };
}

/** Timers that fire at once: waits look again without waiting. */
const fastClock = {
  now: () => Date.now(),
  setTimeout: (callback: () => void) => setTimeout(callback, 1),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const plan = (operations: Operation[]): Plan => ({ project: 'p', operations, warnings: [] });
const start = (name: string, after: string[] = []): Operation => ({
  id: `start:${name}`,
  after,
  kind: 'start-container',
  container: container(name),
});

describe('judge', () => {
  it('reads a container state against each wait condition', () => {
    const healthy = details({ health: { status: 'healthy', failingStreak: 0, log: [] } });
    expect(judge(healthy, 'healthy')).toEqual({ done: true, text: 'Healthy' });
    expect(judge(healthy, 'ready')).toEqual({ done: true, text: 'Healthy' });
    expect(judge(details({ health: { status: 'starting', failingStreak: 1, log: [] } }), 'healthy')).toEqual({
      done: false,
    });
    expect(judge(details({}), 'healthy')).toEqual({ done: false, failure: 'has no healthcheck configured' });
    expect(judge(details({}), 'ready')).toEqual({ done: true, text: 'Running' });
    const exited = details({ status: 'exited', running: false, exitCode: 2 });
    expect(judge(exited, 'running')).toEqual({ done: false, failure: 'exited (2)' });
    expect(judge(exited, 'completed')).toEqual({ done: false, failure: 'exited (2)' });
    expect(judge(details({ status: 'exited', running: false }), 'completed')).toEqual({
      done: true,
      text: 'Exited',
    });
  });
});

describe('executePlan', () => {
  it('keeps the engine calls within the limit and follows the order of the plan', async () => {
    const fake = fakeEngine({});
    const ops = ['a', 'b', 'c', 'd', 'e'].map((n) => start(n));
    ops.push(start('f', ['start:a', 'start:e']));
    await executePlan(plan(ops), { engine: fake.engine, progress: () => {}, concurrency: 2 });
    expect(fake.maxActive()).toBe(2);
    expect(fake.calls.at(-1)).toBe('start f');
  });

  it('copies secrets and configs into new containers after creation, before any start, from the environment', async () => {
    const value = 'v4lue-of-the-secret';
    const events: ProgressEvent[] = [];
    const archives: string[] = [];
    const fake = fakeEngine({
      createContainer: async (spec: { name: string }) => {
        fake.calls.push(`create ${spec.name}`);
        return `id-${spec.name}`;
      },
      statPath: async () => undefined,
      putArchive: async (id: string, path: string, archive: NodeJS.ReadableStream) => {
        fake.calls.push(`put ${id} ${path}`);
        const chunks: Buffer[] = [];
        for await (const chunk of archive) chunks.push(chunk as Buffer);
        archives.push(Buffer.concat(chunks).toString('latin1'));
      },
      removeContainer: async (id: string) => void fake.calls.push(`remove ${id}`),
      renameContainer: async (id: string, name: string) => void fake.calls.push(`rename ${id} ${name}`),
    } as Partial<Engine>);
    const inject = [
      {
        kind: 'secret' as const,
        name: 'db_pw',
        target: '/run/secrets/db_pw',
        mode: 0o444,
        source: { environment: 'DB_PASSWORD' },
      },
    ];
    const containerPlan = (name: string) => ({
      spec: { name, Image: 'debian:bookworm' },
      connect: [],
      warnings: [],
      inject,
    });
    await executePlan(
      plan([
        {
          id: 'create:a',
          after: [],
          kind: 'create-container',
          container: container('a'),
          plan: containerPlan('a'),
        },
        start('a', ['create:a']),
        {
          id: 'recreate:b',
          after: ['start:a'],
          kind: 'recreate-container',
          container: container('b'),
          replaces: { id: 'old-b-0123456789', name: 'b' },
          reasons: ['--force-recreate'],
          plan: containerPlan('b'),
        },
      ]),
      { engine: fake.engine, progress: (e) => events.push(e), environment: { DB_PASSWORD: value } },
    );
    expect(fake.calls).toEqual([
      'create a',
      'put id-a /',
      'start a',
      'create old-b-012345_b',
      'put id-old-b-012345_b /',
      'stop old-b-0123456789',
      'remove old-b-0123456789',
      'rename id-old-b-012345_b b',
    ]);
    expect(archives).toHaveLength(2);
    expect(archives[0]).toContain('run/secrets/db_pw');
    expect(archives[0]).toContain(value);
    expect(JSON.stringify(events)).not.toContain(value);
  });

  it('stops at the first failure and cancels the waits still running', async () => {
    const events: ProgressEvent[] = [];
    const fake = fakeEngine({
      startContainer: async (id: string) => {
        if (id === 'bad')
          throw new TsComposeError('cannot start container bad: boom', { code: 'engine.error' });
      },
      inspectContainer: async () => details({ health: { status: 'starting', failingStreak: 0, log: [] } }),
    });
    const failing = executePlan(
      plan([
        {
          id: 'wait',
          after: [],
          kind: 'wait-container',
          container: container('slow'),
          condition: 'healthy',
          dependents: ['x'],
          required: true,
        },
        start('bad'),
        start('later', ['wait']),
      ]),
      { engine: fake.engine, progress: (e) => events.push(e) },
    );
    await expect(failing).rejects.toThrow('cannot start container bad: boom');
    const texts = events.flatMap((e) => (e.type === 'resource' ? [`${e.id} ${e.text}`] : []));
    expect(texts).toContain('bad Error');
    expect(texts).toContain('slow Interrupted');
    expect(texts).not.toContain('later Starting');
  });

  it('turns the failure of an optional dependency into a warning', async () => {
    const events: ProgressEvent[] = [];
    const fake = fakeEngine({
      inspectContainer: async () => details({ status: 'exited', running: false, exitCode: 1 }),
    });
    await executePlan(
      plan([
        {
          id: 'wait',
          after: [],
          kind: 'wait-container',
          container: container('cache'),
          condition: 'healthy',
          dependents: ['web'],
          required: false,
        },
        start('web', ['wait']),
      ]),
      { engine: fake.engine, progress: (e) => events.push(e) },
    );
    expect(events.find((e) => e.type === 'warning')).toMatchObject({
      message: expect.stringContaining('optional dependency cache did not start'),
    });
    expect(fake.calls).toEqual(['start web']);
  });

  it('disconnects endpoints that no running container holds, removes the network again, and says so', async () => {
    const events: ProgressEvent[] = [];
    let attempts = 0;
    const fake = fakeEngine({
      removeNetwork: async () => {
        if (attempts++ === 0)
          throw new TsComposeError(
            'cannot remove network p_default: network p_default has active endpoints',
            {
              code: 'engine.error',
            },
          );
      },
      inspectNetwork: async () => ({
        id: 'n',
        name: 'p_default',
        driver: 'bridge',
        labels: {},
        containers: { 'ep-1234': { name: 'p-gone-1' } },
      }),
      inspectContainer: async () => {
        throw new TsComposeError('no such container', { code: 'engine.not-found' });
      },
      disconnectNetwork: async (network: string, target: string, force?: boolean) => {
        fake.calls.push(`disconnect ${network} ${target} ${String(force)}`);
      },
    });
    await executePlan(plan([{ id: 'rm', after: [], kind: 'remove-network', name: 'p_default' }]), {
      engine: fake.engine,
      progress: (e) => events.push(e),
    });
    expect(fake.calls).toEqual(['disconnect p_default p-gone-1 true']);
    expect(attempts).toBe(2);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({
      message:
        'network p_default: disconnected 1 stale endpoint (p-gone-1) that no running container used, then removed it',
    });
  });

  it('fails a wait on a container that keeps restarting, with its restart count', async () => {
    let restarts = 0;
    const fake = fakeEngine({
      // every look finds it restarted once more, exiting with 3
      inspectContainer: async () =>
        ({
          ...details({ status: 'restarting', running: false, restarting: true, exitCode: 3 }),
          restartCount: restarts++,
          restartPolicy: 'always',
        }) as ContainerDetails,
    });
    const waiting = executePlan(
      plan([
        {
          id: 'wait',
          after: [],
          kind: 'wait-container',
          container: container('crash'),
          condition: 'ready',
          dependents: [],
          required: true,
        },
      ]),
      { engine: fake.engine, progress: () => {}, clock: fastClock },
    );
    await expect(waiting).rejects.toThrow(
      'container crash (service crash) keeps restarting: restarted 3 times, last exit code 3',
    );
  });

  it('counts a container with a restart policy as running only once it has stayed up', async () => {
    let looks = 0;
    let now = 0;
    const clock = { ...fastClock, now: () => now };
    // started "now" by the engine's clock, which ours (at 0) cannot compare with: only our looks count
    const startedAt = new Date().toISOString();
    const fake = fakeEngine({
      inspectContainer: async () => {
        looks++;
        now += 400;
        return {
          ...details({ startedAt }),
          restartPolicy: 'always',
        } as ContainerDetails;
      },
    });
    await executePlan(
      plan([
        {
          id: 'wait',
          after: [],
          kind: 'wait-container',
          container: container('svc'),
          condition: 'ready',
          dependents: [],
          required: true,
        },
      ]),
      { engine: fake.engine, progress: () => {}, clock },
    );
    // the same run seen up at 400 ms, then at 800, 1200 and 1600: up for 1 s since the first look
    expect(looks).toBe(4);
  });
});
