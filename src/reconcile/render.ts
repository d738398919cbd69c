import { rankedOrder } from '../graph/dag.js';
import type { Operation, Plan } from './operations.js';

/**
 * A plan as deterministic text: the output of `--dry-run` and the golden string of planner tests.
 * Operations are numbered in a dependency order (ties kept in planning order); `after` names the
 * numbers each one waits for.
 */

/** Operation verb and object, e.g. `recreate  proj-web-1  (environment.DB_HOST changed)`. */
export function describeOperation(op: Operation): { verb: string; object: string; note?: string } {
  switch (op.kind) {
    case 'create-network':
      return { verb: 'create network', object: op.name };
    case 'remove-network':
      return { verb: 'remove network', object: op.name };
    case 'create-volume':
      return { verb: 'create volume', object: op.name };
    case 'remove-volume':
      return { verb: 'remove volume', object: op.name };
    case 'build-image':
      return {
        verb: 'build image',
        object: op.image,
        note: `service ${op.service}${op.reason ? `: ${op.reason}` : ''}`,
      };
    case 'pull-image':
      return { verb: 'pull image', object: op.image, note: `service ${op.service}` };
    case 'remove-image':
      return { verb: 'remove image', object: op.image };
    case 'create-container':
      return { verb: 'create', object: op.container.name };
    case 'recreate-container':
      return { verb: 'recreate', object: op.container.name, note: op.reasons.join(', ') };
    case 'start-container':
      return { verb: 'start', object: op.container.name };
    case 'restart-container':
      return { verb: 'restart', object: op.container.name, note: op.reason };
    case 'stop-container':
      return { verb: 'stop', object: op.container.name };
    case 'remove-container':
      return {
        verb: 'remove',
        object: op.container.name,
        note: op.volumes ? 'with its anonymous volumes' : undefined,
      };
    case 'kill-container':
      return { verb: 'kill', object: op.container.name, note: op.signal };
    case 'pause-container':
      return { verb: 'pause', object: op.container.name };
    case 'unpause-container':
      return { verb: 'unpause', object: op.container.name };
    case 'wait-container': {
      const what = {
        healthy: 'healthy',
        completed: 'completed successfully',
        running: 'running',
        ready: 'running or healthy',
      }[op.condition];
      const note = op.dependents.length
        ? `for ${op.dependents.join(', ')}${op.required ? '' : ', optional'}`
        : undefined;
      return { verb: `wait ${what}`, object: op.container.name, note };
    }
    case 'keep-container':
      return { verb: op.state, object: op.container.name, note: 'unchanged' };
  }
}

/** Among operations ready at the same time, phases read in this order: resources, containers, starts. */
const phase: Record<Operation['kind'], number> = {
  'create-network': 0,
  'create-volume': 0,
  'build-image': 1,
  'pull-image': 1,
  'stop-container': 2,
  'kill-container': 2,
  'pause-container': 2,
  'unpause-container': 2,
  'remove-container': 3,
  'create-container': 4,
  'recreate-container': 4,
  'keep-container': 4,
  'start-container': 5,
  'restart-container': 5,
  'wait-container': 5,
  'remove-network': 6,
  'remove-volume': 6,
  'remove-image': 7,
};

/** Dependency order; among operations ready at the same time, by phase, then in the planner's order. */
export function orderOperations(operations: Operation[]): Operation[] {
  return rankedOrder(operations, (op) => phase[op.kind]);
}

export function renderPlan(plan: Plan): string {
  const ordered = orderOperations(plan.operations);
  const changing = ordered.filter((op) => op.kind !== 'keep-container');
  const lines: string[] = [];
  lines.push(
    changing.length === 0
      ? `project ${plan.project}: nothing to do`
      : `project ${plan.project}: ${changing.length} operation${changing.length === 1 ? '' : 's'}`,
  );
  const numbers = new Map(ordered.map((op, i) => [op.id, i + 1]));
  const rows = ordered.map((op) => {
    const d = describeOperation(op);
    const after = op.after.map((a) => numbers.get(a)).filter((n): n is number => n !== undefined);
    return {
      n: String(numbers.get(op.id)),
      ...d,
      after: after.length ? `after ${after.sort((a, b) => a - b).join(',')}` : '',
    };
  });
  const wn = Math.max(0, ...rows.map((r) => r.n.length));
  const wv = Math.max(0, ...rows.map((r) => r.verb.length));
  const wo = Math.max(0, ...rows.map((r) => r.object.length));
  const wa = Math.max(0, ...rows.map((r) => r.after.length));
  for (const r of rows) {
    const columns = [r.n.padStart(wn), r.verb.padEnd(wv), r.object.padEnd(wo)];
    if (wa > 0) columns.push(r.after.padEnd(wa));
    lines.push(`${columns.join('  ')}  ${r.note ?? ''}`.trimEnd());
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
