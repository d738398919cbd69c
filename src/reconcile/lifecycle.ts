import { Dag } from '../graph/dag.js';
import type { ContainerSummary } from '../engine/engine.js';
import { Label } from './labels.js';
import { containersByService, type ObservedState } from './observe.js';
import type { ContainerTarget, Operation, OperationBody, Plan, WaitCondition } from './operations.js';

/**
 * Plans of the lifecycle commands (start, restart, kill, pause, unpause), from labels alone: the
 * dependency conditions a service was created with are in com.docker.compose.depends_on, so these
 * work without the compose file, as in Compose.
 */

export interface LifecycleOptions {
  /** Only these services (default: all of the project's). */
  services?: string[];
  timeoutSeconds?: number;
  /** `kill -s`. */
  signal?: string;
}

const target = (c: ContainerSummary): ContainerTarget => ({
  name: c.name,
  service: c.labels[Label.service] ?? '',
  number: Number(c.labels[Label.containerNumber] ?? 0),
  id: c.id,
});
const isUp = (c: ContainerSummary) => c.state === 'running' || c.state === 'restarting';

/** `db:service_healthy:false,cache:service_started:true` → dependencies with their conditions. */
export function parseDependsOn(value: string | undefined): { service: string; condition: string }[] {
  return (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [service = '', condition = 'service_started'] = part.split(':');
      return { service, condition };
    });
}

function chosen(observed: ObservedState, services: string[] | undefined) {
  const byService = containersByService(observed);
  const names = [...byService.keys()].filter((s) => !services?.length || services.includes(s)).sort();
  return { byService, names };
}

/** `start`: stopped containers start after their dependencies, waiting for the same conditions as `up`. */
export function planStart(observed: ObservedState, options: LifecycleOptions): Plan {
  const { byService, names } = chosen(observed, options.services);
  const operations: Operation[] = [];
  const add = (id: string, after: string[], body: OperationBody) => {
    operations.push({ id, after, ...body } as Operation);
    return id;
  };
  const starts = new Map<string, string[]>();
  const order = topological(names, (s) =>
    parseDependsOn(byService.get(s)?.[0]?.labels[Label.dependsOn]).map((d) => d.service),
  );
  for (const name of order) {
    const containers = (byService.get(name) ?? []).filter((c) => !isUp(c));
    if (!containers.length) continue;
    const gates: string[] = [];
    for (const dep of parseDependsOn(containers[0]!.labels[Label.dependsOn])) {
      gates.push(...(starts.get(dep.service) ?? []));
      const condition: WaitCondition | undefined =
        dep.condition === 'service_healthy'
          ? 'healthy'
          : dep.condition === 'service_completed_successfully'
            ? 'completed'
            : undefined;
      if (!condition) continue;
      for (const c of byService.get(dep.service) ?? []) {
        const id = `wait:${c.name}:${condition}`;
        const existing = operations.find((op) => op.id === id);
        if (existing?.kind === 'wait-container') existing.dependents.push(name);
        else
          add(id, starts.get(dep.service) ?? [], {
            kind: 'wait-container',
            container: target(c),
            condition,
            dependents: [name],
            required: true,
          });
        gates.push(id);
      }
    }
    starts.set(
      name,
      containers.map((c) => add(`start:${c.name}`, gates, { kind: 'start-container', container: target(c) })),
    );
  }
  return { project: observed.project, operations, warnings: [] };
}

/** `restart`: every container of the services, dependencies first. */
export function planRestart(observed: ObservedState, options: LifecycleOptions): Plan {
  const { byService, names } = chosen(observed, options.services);
  const operations: Operation[] = [];
  const done = new Map<string, string[]>();
  const order = topological(names, (s) =>
    parseDependsOn(byService.get(s)?.[0]?.labels[Label.dependsOn]).map((d) => d.service),
  );
  for (const name of order) {
    const after = parseDependsOn(byService.get(name)?.[0]?.labels[Label.dependsOn]).flatMap(
      (d) => done.get(d.service) ?? [],
    );
    const ids: string[] = [];
    for (const c of byService.get(name) ?? []) {
      const id = `restart:${c.name}`;
      operations.push({
        id,
        after,
        kind: 'restart-container',
        container: target(c),
        reason: 'restart',
        timeoutSeconds: options.timeoutSeconds,
      });
      ids.push(id);
    }
    done.set(name, ids);
  }
  return { project: observed.project, operations, warnings: [] };
}

/** `kill`, `pause`, `unpause`: every matching container at once. */
export function planEach(
  observed: ObservedState,
  kind: 'kill-container' | 'pause-container' | 'unpause-container',
  options: LifecycleOptions,
): Plan {
  const { byService, names } = chosen(observed, options.services);
  const operations: Operation[] = [];
  for (const name of names)
    for (const c of byService.get(name) ?? []) {
      const applies = kind === 'unpause-container' ? c.state === 'paused' : c.state === 'running';
      if (!applies) continue;
      const id = `${kind}:${c.name}`;
      if (kind === 'kill-container')
        operations.push({ id, after: [], kind, container: target(c), signal: options.signal });
      else operations.push({ id, after: [], kind, container: target(c) });
    }
  return { project: observed.project, operations, warnings: [] };
}

/** Names ordered dependencies first; dependencies outside `names` are ignored. */
function topological(names: string[], depsOf: (name: string) => string[]): string[] {
  const wanted = new Set(names);
  const dag = new Dag();
  for (const n of names) {
    dag.addNode(n);
    for (const d of depsOf(n)) if (wanted.has(d)) dag.addEdge(n, d);
  }
  return dag.topologicalOrder();
}
