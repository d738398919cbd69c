import { systemClock, type Clock } from '../core/clock.js';
import { InterruptedError, TsComposeError, isTsComposeError } from '../core/errors.js';
import type { ProgressEvent, ProgressListener } from '../core/events.js';
import { progressStep } from '../core/progress-step.js';
import { runPlanned } from '../graph/dag.js';
import type { ContainerCreateSpec, Engine } from '../engine/engine.js';
import type { ContainerPlan } from './convert.js';
import { injectFiles, type InjectionEnvironment } from './inject.js';
import { Label } from './labels.js';
import type { Operation, Plan } from './operations.js';
import { ContainerWatch } from './wait.js';

/** Builds one service's image (src/build, injected by the app layer). */
export type BuildImageFn = (service: string, image: string, signal: AbortSignal | undefined) => Promise<void>;

export interface ExecuteOptions {
  engine: Engine;
  progress: ProgressListener;
  signal?: AbortSignal;
  /** At most this many engine operations at once; waits do not count (default: no limit). */
  concurrency?: number;
  clock?: Clock;
  buildImage?: BuildImageFn;
  /**
   * The project's environment (shell over .env), where `environment:` secrets and configs read their
   * values when they are copied into new containers.
   */
  environment?: InjectionEnvironment;
}

export interface ExecuteResult {
  /** Warnings met on the way (optional dependencies that failed, resources adopted). */
  warnings: string[];
  /** Container name → how its wait ended (`Healthy`, `Running`, `Exited`), for the waits that were met. */
  waited: Map<string, string>;
}

/** A counting semaphore: engine calls queue here, waits do not. */
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

const isCode = (error: unknown, code: string) => isTsComposeError(error) && error.code === code;

/**
 * Walks the plan's DAG concurrently and makes the engine calls, reporting each step as progress
 * events. It decides nothing: what to do, in which order, and what to wait for are the plan's. The
 * one judgement it makes is about races with a concurrent `up`: a name that another run has just
 * taken for the same container or network is adopted, not duplicated.
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<ExecuteResult> {
  const { engine, progress, signal } = options;
  const clock = options.clock ?? systemClock;
  const limit = options.concurrency && options.concurrency > 0 ? options.concurrency : Infinity;
  const engineCall = limiter(limit);
  const warnings: string[] = [];
  const waited = new Map<string, string>();
  const warn = (message: string, id?: string) => {
    warnings.push(message);
    progress({ type: 'warning', message, id });
  };
  const emit = (event: Extract<ProgressEvent, { type: 'resource' }>) => progress(event);

  const watch = plan.operations.some((op) => op.kind === 'wait-container')
    ? await ContainerWatch.open(engine, plan.project, clock)
    : undefined;

  const step = progressStep(emit, clock, signal);

  const createContainer = async (spec: ContainerCreateSpec, plan_: ContainerPlan): Promise<string> => {
    let id: string;
    try {
      id = await engine.createContainer(spec);
    } catch (error) {
      if (!isCode(error, 'engine.conflict')) throw error;
      // a concurrent `up` created it a moment ago: the same container (same hash) is adopted
      const other = await engine.inspectContainer(spec.name).catch(() => undefined);
      const same = ['project', 'service', 'containerNumber', 'configHash'] as const;
      if (!other || same.some((k) => other.labels[Label[k]] !== spec.Labels?.[Label[k]])) throw error;
      return other.id;
    }
    for (const { network, endpoint } of plan_.connect) await engine.connectNetwork(network, id, endpoint);
    // secrets and configs that are not files: copied in after creation, before the start
    if (plan_.inject) await injectFiles(engine, id, plan_.inject, options.environment ?? {});
    return id;
  };

  const pause = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

  /**
   * `down` removes a network; "has active endpoints" does not fail it. Containers still running on
   * it (not this project's, or orphans kept without --remove-orphans) keep it, with a warning, as
   * Compose does. Endpoints without a running container (left behind by the engine, e.g. after
   * concurrent removals) are disconnected by force and the removal is tried again, and said.
   */
  const removeNetwork = async (name: string): Promise<string | void> => {
    const remove = async () => {
      try {
        await engine.removeNetwork(name);
        return true;
      } catch (error) {
        if (isCode(error, 'engine.not-found')) return true;
        if (!(error instanceof Error) || !error.message.includes('has active endpoints')) throw error;
        return false;
      }
    };
    if (await remove()) return;
    const network = await engine.inspectNetwork(name);
    const live: string[] = [];
    const stale: string[] = [];
    for (const [id, endpoint] of Object.entries(network?.containers ?? {})) {
      const container = await engine.inspectContainer(id).catch(() => undefined);
      if (container?.state.running) live.push(container.name);
      else stale.push(endpoint.name || id);
    }
    if (live.length) {
      warn(
        `network ${name} was kept: still in use by ${live.join(', ')}, which this down did not remove; disconnect ${live.length > 1 ? 'them' : 'it'} (docker network disconnect ${name} ${live[0]}) and run down again`,
        name,
      );
      return 'Kept';
    }
    for (const endpoint of stale) await engine.disconnectNetwork(name, endpoint, true).catch(() => undefined);
    // the engine may still be finishing a removal: a moment later it usually agrees
    for (const ms of [0, 200, 500]) {
      if (ms) await pause(ms);
      if (await remove()) {
        warn(
          stale.length
            ? `network ${name}: disconnected ${stale.length} stale endpoint${stale.length > 1 ? 's' : ''} (${stale.join(', ')}) that no running container used, then removed it`
            : `network ${name}: the engine said it had active endpoints although no container was attached; removed it on a second try`,
          name,
        );
        return;
      }
    }
    // no container is attached, yet the engine counts endpoints: its own bookkeeping is off
    warn(
      `network ${name} was left in place: the engine still counts endpoints on it although no container is attached (a known Docker Engine bug, moby/moby#42119). up reuses it; restarting dockerd clears it.`,
      name,
    );
    return 'Kept';
  };

  const run = async (op: Operation, opSignal: AbortSignal | undefined): Promise<void> => {
    switch (op.kind) {
      case 'create-network':
        return step('network', op.name, ['Creating', 'Created'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.createNetwork(op.spec);
            } catch (error) {
              if (!isCode(error, 'engine.conflict')) throw error;
              const existing = await engine.inspectNetwork(op.name);
              if (!existing) throw error;
              if (existing.labels[Label.project] !== plan.project)
                warn(
                  `network ${op.name} exists but was not created for project "${plan.project}"; using it`,
                  op.name,
                );
            }
          }),
        );
      case 'create-volume':
        return step('volume', op.name, ['Creating', 'Created'], undefined, () =>
          engineCall(async () => {
            const volume = await engine.createVolume(op.spec);
            if (volume.labels[Label.project] !== plan.project)
              warn(
                `volume "${op.name}" already exists but was not created by Compose; use external: true to use an existing volume`,
                op.name,
              );
          }),
        );
      case 'remove-network':
        return step('network', op.name, ['Removing', 'Removed'], undefined, () =>
          engineCall(() => removeNetwork(op.name)),
        );
      case 'remove-volume':
        return step('volume', op.name, ['Removing', 'Removed'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.removeVolume(op.name);
            } catch (error) {
              if (!isCode(error, 'engine.not-found')) throw error;
            }
          }),
        );
      case 'build-image': {
        const build = options.buildImage;
        return step('image', op.image, ['Building', 'Built'], op.reason, async () => {
          if (!build)
            throw new TsComposeError(`cannot build ${op.image}: no image builder was given`, {
              code: 'build.unavailable',
            });
          await build(op.service, op.image, opSignal);
        });
      }
      case 'pull-image':
        return step('image', op.image, ['Pulling', 'Pulled'], `service ${op.service}`, () =>
          engineCall(() => engine.pullImage(op.image, opSignal)),
        );
      case 'remove-image':
        return step('image', op.image, ['Removing', 'Removed'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.removeImage(op.image);
            } catch (error) {
              if (!isCode(error, 'engine.not-found')) throw error;
            }
          }),
        );
      case 'create-container':
        return step('container', op.container.name, ['Creating', 'Created'], undefined, () =>
          engineCall(async () => {
            await createContainer(op.plan.spec, op.plan);
          }),
        );
      case 'recreate-container':
        return step('container', op.container.name, ['Recreate', 'Recreated'], op.reasons.join(', '), () =>
          engineCall(async () => {
            // the new container is made under a temporary name first: if that fails, the old one still runs
            const temporary = `${op.replaces.id.slice(0, 12)}_${op.container.name}`;
            const id = await createContainer({ ...op.plan.spec, name: temporary }, op.plan);
            await engine.stopContainer(op.replaces.id, op.timeoutSeconds);
            await engine.removeContainer(op.replaces.id, { force: true });
            await engine.renameContainer(id, op.container.name);
          }),
        );
      case 'start-container':
        return step('container', op.container.name, ['Starting', 'Started'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.startContainer(op.container.id ?? op.container.name);
            } catch (error) {
              if (!isTsComposeError(error) || error.code !== 'engine.port-in-use') throw error;
              // the engine names the port (and the holder); the service is ours to name
              throw new TsComposeError(`service ${op.container.service}: ${error.message}`, {
                code: error.code,
                details: [...error.details],
                hint: error.hint && `${error.hint} for ${op.container.service} in the compose file`,
              });
            }
          }),
        );
      case 'restart-container':
        return step('container', op.container.name, ['Restarting', 'Restarted'], op.reason, () =>
          engineCall(() => engine.restartContainer(op.container.id ?? op.container.name, op.timeoutSeconds)),
        );
      case 'stop-container':
        return step('container', op.container.name, ['Stopping', 'Stopped'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.stopContainer(op.container.id ?? op.container.name, op.timeoutSeconds);
            } catch (error) {
              if (!isCode(error, 'engine.not-found')) throw error;
            }
          }),
        );
      case 'remove-container':
        return step('container', op.container.name, ['Removing', 'Removed'], undefined, () =>
          engineCall(async () => {
            try {
              await engine.removeContainer(op.container.id ?? op.container.name, {
                force: true,
                volumes: op.volumes,
              });
            } catch (error) {
              if (!isCode(error, 'engine.not-found')) throw error;
            }
          }),
        );
      case 'kill-container':
        return step('container', op.container.name, ['Killing', 'Killed'], op.signal, () =>
          engineCall(() => engine.killContainer(op.container.id ?? op.container.name, op.signal)),
        );
      case 'pause-container':
        return step('container', op.container.name, ['Pausing', 'Paused'], undefined, () =>
          engineCall(() => engine.pauseContainer(op.container.id ?? op.container.name)),
        );
      case 'unpause-container':
        return step('container', op.container.name, ['Unpausing', 'Unpaused'], undefined, () =>
          engineCall(() => engine.unpauseContainer(op.container.id ?? op.container.name)),
        );
      case 'keep-container':
        emit({
          type: 'resource',
          kind: 'container',
          id: op.container.name,
          status: 'done',
          text: op.state === 'running' ? 'Running' : op.state === 'exited' ? 'Exited' : 'Created',
        });
        return;
      case 'wait-container': {
        const name = op.container.name;
        const started = clock.now();
        const waiting = (detail: string) =>
          emit({ type: 'resource', kind: 'container', id: name, status: 'working', text: 'Waiting', detail });
        try {
          const text = await watch!.wait({
            container: op.container,
            condition: op.condition,
            dependents: op.dependents,
            onProgress: waiting,
            signal: opSignal,
          });
          waited.set(name, text);
          emit({
            type: 'resource',
            kind: 'container',
            id: name,
            status: 'done',
            text,
            durationMs: clock.now() - started,
          });
        } catch (error) {
          if (!op.required && !(error instanceof InterruptedError)) {
            warn(
              `optional dependency ${op.container.service} did not start: ${(error as Error).message}`,
              name,
            );
            return;
          }
          const interrupted = error instanceof InterruptedError;
          emit({
            type: 'resource',
            kind: 'container',
            id: name,
            status: 'error',
            text: interrupted
              ? 'Interrupted'
              : error instanceof TsComposeError && error.code === 'dependency.unhealthy'
                ? 'Unhealthy'
                : 'Error',
            durationMs: clock.now() - started,
          });
          throw error;
        }
        return;
      }
    }
  };

  // the first failure stops everything at once: running waits are cancelled, not waited for
  try {
    await runPlanned(plan.operations, run, signal);
  } finally {
    watch?.close();
  }
  return { warnings, waited };
}
