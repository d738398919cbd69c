import type { Project } from '../compose/model.js';
import type { ContainerSummary } from '../engine/engine.js';
import { Label } from './labels.js';
import type { ContainerTarget, OperationBody } from './operations.js';

/** What the plans of up and down (plan.ts, teardown.ts) say alike about the containers they found. */

export const serviceOf = (c: ContainerSummary) => c.labels[Label.service] ?? '';

export const containerNumber = (c: ContainerSummary) => Number(c.labels[Label.containerNumber] ?? 0);

export const containerTarget = (c: ContainerSummary): ContainerTarget => ({
  name: c.name,
  service: serviceOf(c),
  number: containerNumber(c),
  id: c.id,
});

/** Running, paused or restarting: stopped before it is removed. */
export const isUp = (c: ContainerSummary) =>
  c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

/** The services of the project, disabled ones included: a container of any other is an orphan. */
export const knownServices = (project: Project) =>
  new Set([...Object.keys(project.services), ...Object.keys(project.disabled_services ?? {})]);

/** Docker Compose's warning about orphan containers, word for word. */
export const orphanWarning = (orphans: ContainerSummary[]) =>
  `Found orphan containers (${orphans
    .map((c) => c.name)
    .sort()
    .join(
      ', ',
    )}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`;

type AddOperation = (id: string, after: string[], body: OperationBody) => string;

/**
 * Stops `c` when it is up (after the operations `after`), then removes it unless `remove` is false.
 * Returns the removal's id.
 */
export function stopAndRemove(
  add: AddOperation,
  c: ContainerSummary,
  options: { after?: string[]; timeoutSeconds?: number | undefined; volumes: boolean; remove?: boolean },
): string | undefined {
  const container = containerTarget(c);
  const stop = isUp(c)
    ? [
        add(`stop:${c.name}`, options.after ?? [], {
          kind: 'stop-container',
          container,
          timeoutSeconds: options.timeoutSeconds,
        }),
      ]
    : [];
  if (options.remove === false) return undefined;
  return add(`remove:${c.name}`, stop, { kind: 'remove-container', container, volumes: options.volumes });
}
