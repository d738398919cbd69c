import type { ContainerSpec, SwarmService, SwarmTask } from '../engine/swarm.js';

/**
 * When a service has converged: every task of its current spec runs, as many as it should, and no
 * rolling update is in progress. A task with a health check stays `starting` until the check
 * passes, so for such a service this is "healthy". Pure: the executor polls and calls it.
 */
export interface Convergence {
  state: 'converged' | 'pending' | 'failed';
  /** For progress and errors: `1/2 running`, `updating`, the last task error. */
  detail: string;
}

export interface ConvergenceOptions {
  /** Failed tasks that were there when the wait began (not counted as failures of this deploy). */
  failedBefore: ReadonlySet<string>;
  /** This many failed tasks of the current spec make the wait fail (Swarm would retry forever). */
  maxFailures: number;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export const sameContainerSpec = (a: ContainerSpec, b: ContainerSpec) => canonical(a) === canonical(b);

export const isFailed = (t: SwarmTask) => t.state === 'failed' || t.state === 'rejected';

/** The task's words for what went wrong: its error, else its message. */
const taskProblem = (t: SwarmTask) => t.error || t.message || t.state;

export function serviceConvergence(
  service: SwarmService,
  tasks: readonly SwarmTask[],
  options: ConvergenceOptions,
): Convergence {
  const update = service.updateStatus;
  if (update?.state === 'paused' || update?.state === 'rollback_paused')
    return { state: 'failed', detail: `the update is paused: ${update.message}` };
  if (update?.state === 'rollback_completed')
    return { state: 'failed', detail: `the update failed and was rolled back: ${update.message}` };

  const spec = service.spec.TaskTemplate.ContainerSpec;
  const current = tasks.filter((t) => sameContainerSpec(t.containerSpec, spec));
  const failures = current
    .filter((t) => isFailed(t) && !options.failedBefore.has(t.id))
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const last = failures[failures.length - 1];
  if (failures.length >= options.maxFailures && last)
    return { state: 'failed', detail: `${failures.length} tasks failed, the last one: ${taskProblem(last)}` };

  const live = tasks.filter((t) => t.desiredState === 'running');
  const running = live.filter((t) => t.state === 'running' && sameContainerSpec(t.containerSpec, spec));
  const want =
    'Replicated' in service.spec.Mode
      ? service.spec.Mode.Replicated.Replicas
      : Math.max(1, new Set(live.map((t) => t.nodeId)).size);
  const counts = `${running.length}/${want} running`;
  const updating = update?.state === 'updating' || update?.state === 'rollback_started';
  if (!updating && running.length === want && live.length === want)
    return { state: 'converged', detail: counts };

  const waiting = live.find((t) => t.state !== 'running');
  const why = updating
    ? 'updating'
    : last
      ? `${failures.length} failed: ${taskProblem(last)}`
      : waiting
        ? `a task is ${waiting.state}${waiting.error ? `: ${waiting.error}` : ''}`
        : undefined;
  return { state: 'pending', detail: why ? `${counts}, ${why}` : counts };
}
