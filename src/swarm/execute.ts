import { sleep } from '../core/abort.js';
import { systemClock, type Clock } from '../core/clock.js';
import { TsComposeError, isTsComposeError } from '../core/errors.js';
import type { ProgressEvent, ProgressListener } from '../core/events.js';
import { progressStep } from '../core/progress-step.js';
import { runPlanned } from '../graph/dag.js';
import type { Engine } from '../engine/engine.js';
import type { ServiceSpec, SwarmEngine } from '../engine/swarm.js';
import { StackLabel } from './names.js';
import type { DeployOperation, DeployPlan } from './operations.js';
import { isFailed, serviceConvergence } from './wait.js';

export interface DeployExecuteOptions {
  engine: Pick<Engine, 'createNetwork' | 'inspectNetwork' | 'removeNetwork'>;
  swarm: SwarmEngine;
  progress: ProgressListener;
  signal?: AbortSignal;
  /** At most this many engine calls at once; waits do not count (default: no limit). */
  concurrency?: number;
  clock?: Clock;
  /** How often waits look at the tasks (default 1 s). */
  pollMs?: number;
  /** Failed tasks of a new spec that make a wait fail (default 3). */
  maxFailures?: number;
  /** How long removing a network or object that tasks still hold is retried (default 60 s). */
  releaseTimeoutMs?: number;
}

const isCode = (error: unknown, code: string) => isTsComposeError(error) && error.code === code;

/** The engine's words when a removal waits for tasks that still shut down. */
const stillInUse = (error: unknown) =>
  isTsComposeError(error) &&
  (error.code === 'engine.conflict' ||
    error.code === 'engine.error' ||
    error.code === 'engine.bad-request') &&
  /in use|active endpoints/i.test(error.message);

/** A task that has (or is about to have) a container: not yet in a final state. */
const finalStates = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);
const isActive = (t: { state: string }) => !finalStates.has(t.state);

function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * Walks a deploy plan's DAG concurrently and makes the engine calls, each step reported as progress
 * events. It decides nothing; the mechanical parts are its own: secret and config references get the
 * ids of the objects they name, a removal that tasks still hold is retried until they let go, and a
 * name another run has just taken for the same object is adopted.
 */
export async function executeDeployPlan(plan: DeployPlan, options: DeployExecuteOptions): Promise<void> {
  const { engine, swarm, progress, signal } = options;
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollMs ?? 1000;
  const call = limiter(options.concurrency && options.concurrency > 0 ? options.concurrency : Infinity);
  const secretIds = new Map(Object.entries(plan.secretIds));
  const configIds = new Map(Object.entries(plan.configIds));
  const serviceIds = new Map<string, string>();
  const emit = (event: Extract<ProgressEvent, { type: 'resource' }>) => progress(event);

  const step = progressStep(emit, clock, signal);

  /** The spec with the ids of the secrets and configs it names. */
  const withIds = (spec: ServiceSpec): ServiceSpec => {
    const container = spec.TaskTemplate.ContainerSpec;
    const idOf = (ids: Map<string, string>, name: string, kind: string) => {
      const id = ids.get(name);
      if (!id)
        throw new TsComposeError(`${kind} ${name} does not exist on the swarm`, {
          code: `swarm.${kind}-missing`,
        });
      return id;
    };
    return {
      ...spec,
      TaskTemplate: {
        ...spec.TaskTemplate,
        ContainerSpec: {
          ...container,
          Secrets: container.Secrets?.map((s) => ({
            ...s,
            SecretID: idOf(secretIds, s.SecretName, 'secret'),
          })),
          Configs: container.Configs?.map((c) => ({
            ...c,
            ConfigID: idOf(configIds, c.ConfigName, 'config'),
          })),
        },
      },
    };
  };

  /** Retries a removal while tasks that are shutting down still hold the object. */
  const release = async (remove: () => Promise<void>, opSignal: AbortSignal | undefined) => {
    const deadline = clock.now() + (options.releaseTimeoutMs ?? 60_000);
    for (;;) {
      try {
        return await remove();
      } catch (error) {
        if (isCode(error, 'engine.not-found')) return;
        if (!stillInUse(error) || clock.now() > deadline) throw error;
      }
      await sleep(Math.min(pollMs, 1000), opSignal);
    }
  };

  const warnEngine = (id: string, warnings: string[]) => {
    for (const message of warnings) progress({ type: 'warning', id, message: `${id}: ${message}` });
  };

  const waitService = async (
    op: Extract<DeployOperation, { kind: 'wait-service' }>,
    opSignal: AbortSignal | undefined,
  ) => {
    const started = clock.now();
    const maxFailures = options.maxFailures ?? 3;
    let failedBefore: Set<string> | undefined;
    let last = '';
    for (;;) {
      const service = await swarm.inspectService(serviceIds.get(op.name) ?? op.name);
      if (!service)
        throw new TsComposeError(`service ${op.name} disappeared while it was waited for`, {
          code: 'swarm.service-gone',
        });
      const tasks = await swarm.listTasks({ service: [service.id] });
      failedBefore ??= new Set(tasks.filter(isFailed).map((t) => t.id));
      const state = serviceConvergence(service, tasks, { failedBefore, maxFailures });
      if (state.state === 'converged') {
        emit({
          type: 'resource',
          kind: 'service',
          id: op.name,
          status: 'done',
          text: op.condition === 'healthy' ? 'Healthy' : 'Running',
          detail: state.detail,
          durationMs: clock.now() - started,
        });
        return;
      }
      if (state.state === 'failed') {
        emit({
          type: 'resource',
          kind: 'service',
          id: op.name,
          status: 'error',
          text: 'Error',
          detail: state.detail,
          durationMs: clock.now() - started,
        });
        throw new TsComposeError(
          `service ${op.name} did not become ${op.condition === 'healthy' ? 'healthy' : 'ready'}: ${state.detail}`,
          {
            code: 'swarm.service-failed',
            hint: `see why with \`tscompose stack ps\` and \`docker service logs ${op.name}\``,
          },
        );
      }
      if (state.detail !== last) {
        last = state.detail;
        emit({
          type: 'resource',
          kind: 'service',
          id: op.name,
          status: 'working',
          text: 'Waiting',
          detail: state.detail,
        });
      }
      try {
        await sleep(pollMs, opSignal);
      } catch (error) {
        emit({
          type: 'resource',
          kind: 'service',
          id: op.name,
          status: 'error',
          text: 'Interrupted',
          durationMs: clock.now() - started,
        });
        throw error;
      }
    }
  };

  /**
   * Polls until the removed service's tasks are gone: Swarm deletes them, and their containers with
   * them, once they have stopped. A task that stays listed after stopping (its node is down) is not
   * waited for longer than the release timeout.
   */
  const waitRemoved = async (
    op: Extract<DeployOperation, { kind: 'wait-removed' }>,
    opSignal: AbortSignal | undefined,
  ) =>
    step('service', op.name, ['Stopping', 'Stopped'], 'its tasks', async () => {
      let stoppedSince: number | undefined;
      for (;;) {
        const tasks = (await swarm.listTasks({})).filter((t) => t.serviceId === op.serviceId);
        if (!tasks.length) return;
        if (tasks.some(isActive)) stoppedSince = undefined;
        else {
          stoppedSince ??= clock.now();
          if (clock.now() - stoppedSince > (options.releaseTimeoutMs ?? 60_000)) return;
        }
        await sleep(pollMs, opSignal);
      }
    });

  const run = async (op: DeployOperation, opSignal: AbortSignal | undefined): Promise<void> => {
    switch (op.kind) {
      case 'create-network':
        return step('network', op.name, ['Creating', 'Created'], undefined, () =>
          call(async () => {
            try {
              await engine.createNetwork(op.spec);
            } catch (error) {
              if (!isCode(error, 'engine.conflict')) throw error;
              const existing = await engine.inspectNetwork(op.name);
              if (existing?.labels[StackLabel.namespace] !== plan.stack) throw error;
            }
          }),
        );
      case 'create-secret':
      case 'create-config': {
        const kind = op.kind === 'create-secret' ? 'secret' : 'config';
        const ids = kind === 'secret' ? secretIds : configIds;
        return step(kind, op.name, ['Creating', 'Created'], undefined, () =>
          call(async () => {
            try {
              ids.set(
                op.name,
                kind === 'secret' ? await swarm.createSecret(op.spec) : await swarm.createConfig(op.spec),
              );
            } catch (error) {
              if (!isCode(error, 'engine.conflict')) throw error;
              // the same name is the same content (the name holds its digest): adopt it
              const list = kind === 'secret' ? await swarm.listSecrets() : await swarm.listConfigs();
              const existing = list.find((o) => o.name === op.name);
              if (!existing) throw error;
              ids.set(op.name, existing.id);
            }
          }),
        );
      }
      case 'create-service':
        return step('service', op.name, ['Creating', 'Created'], undefined, () =>
          call(async () => {
            const created = await swarm.createService(withIds(op.spec));
            serviceIds.set(op.name, created.id);
            warnEngine(op.name, created.warnings);
          }),
        );
      case 'update-service':
        return step(
          'service',
          op.name,
          op.scale ? ['Scaling', 'Scaled'] : ['Updating', 'Updated'],
          op.scale ? `${op.scale.from} → ${op.scale.to} replicas` : op.reasons.join(', '),
          () =>
            call(async () => {
              const updated = await swarm.updateService(op.serviceId, op.version, withIds(op.spec));
              serviceIds.set(op.name, op.serviceId);
              warnEngine(op.name, updated.warnings);
            }),
        );
      case 'keep-service':
        serviceIds.set(op.name, op.serviceId);
        emit({
          type: 'resource',
          kind: 'service',
          id: op.name,
          status: 'done',
          text: 'Running',
          detail: `unchanged, ${op.replicas}`,
        });
        return;
      case 'wait-service':
        return waitService(op, opSignal);
      case 'remove-service':
        return step('service', op.name, ['Removing', 'Removed'], op.reason, () =>
          call(async () => {
            try {
              await swarm.removeService(op.serviceId);
            } catch (error) {
              if (!isCode(error, 'engine.not-found')) throw error;
            }
          }),
        );
      case 'wait-removed':
        return waitRemoved(op, opSignal);
      case 'remove-network':
        return step('network', op.name, ['Removing', 'Removed'], undefined, () =>
          call(() => release(() => engine.removeNetwork(op.name), opSignal)),
        );
      case 'remove-secret':
      case 'remove-config': {
        const kind = op.kind === 'remove-secret' ? 'secret' : 'config';
        const remove = () =>
          kind === 'secret' ? swarm.removeSecret(op.objectId) : swarm.removeConfig(op.objectId);
        return step(kind, op.name, ['Removing', 'Removed'], undefined, () =>
          call(async () => {
            if (!op.ifUnused) return release(remove, opSignal);
            try {
              await remove();
            } catch (error) {
              if (isCode(error, 'engine.not-found')) return;
              // a service deployed by hand may still mount old content: it stays, and so does this
              if (stillInUse(error)) return 'Kept';
              throw error;
            }
          }),
        );
      }
    }
  };

  // the first failure stops everything at once: running waits are cancelled, not waited for
  await runPlanned(plan.operations, run, signal);
}
