import { rankedOrder } from '../graph/dag.js';
import type { DeployOperation, DeployPlan } from './operations.js';
import { changesSomething } from './operations.js';

/**
 * A deploy plan as deterministic text: the output of `deploy --dry-run` and the golden string of
 * planner tests. Operations are numbered in a dependency order (ties by phase, then planning order);
 * `after` names the numbers each one waits for. Secret contents never appear, only names.
 */

export function describeDeployOperation(op: DeployOperation): {
  verb: string;
  object: string;
  note?: string;
} {
  switch (op.kind) {
    case 'create-network':
      return { verb: 'create network', object: op.name, note: op.spec.Driver };
    case 'create-secret':
      return { verb: 'create secret', object: op.name };
    case 'create-config':
      return { verb: 'create config', object: op.name };
    case 'create-service':
      return { verb: 'create service', object: op.name, note: replicas(op.spec.Mode) };
    case 'update-service':
      return op.scale
        ? { verb: 'scale service', object: op.name, note: `${op.scale.from} → ${op.scale.to} replicas` }
        : { verb: 'update service', object: op.name, note: op.reasons.join(', ') };
    case 'keep-service':
      return { verb: 'keep service', object: op.name, note: `unchanged, ${op.replicas}` };
    case 'wait-service': {
      const what = { healthy: 'healthy', running: 'running', converged: 'converged' }[op.condition];
      return {
        verb: `wait ${what}`,
        object: op.name,
        note: op.dependents.length ? `for ${op.dependents.join(', ')}` : undefined,
      };
    }
    case 'remove-service':
      return { verb: 'remove service', object: op.name, note: op.reason };
    case 'wait-removed':
      return { verb: 'wait stopped', object: op.name, note: 'its tasks' };
    case 'remove-network':
      return { verb: 'remove network', object: op.name };
    case 'remove-secret':
      return {
        verb: 'remove secret',
        object: op.name,
        note: op.ifUnused ? 'no service mounts it' : undefined,
      };
    case 'remove-config':
      return {
        verb: 'remove config',
        object: op.name,
        note: op.ifUnused ? 'no service mounts it' : undefined,
      };
  }
}

function replicas(mode: { Replicated: { Replicas: number } } | { Global: Record<string, never> }): string {
  if ('Global' in mode) return 'global';
  const n = mode.Replicated.Replicas;
  return `${n} replica${n === 1 ? '' : 's'}`;
}

/** Among operations ready at the same time: resources, removals, services, waits, then clean-up. */
const phase: Record<DeployOperation['kind'], number> = {
  'create-network': 0,
  'create-secret': 0,
  'create-config': 0,
  'remove-service': 1,
  'create-service': 2,
  'update-service': 2,
  'keep-service': 2,
  'wait-service': 3,
  'wait-removed': 3,
  'remove-secret': 4,
  'remove-config': 4,
  'remove-network': 5,
};

export function orderDeployOperations(operations: DeployOperation[]): DeployOperation[] {
  return rankedOrder(operations, (op) => phase[op.kind]);
}

export function renderDeployPlan(plan: DeployPlan): string {
  const ordered = orderDeployOperations(plan.operations);
  const counted = ordered.filter((op) => op.kind !== 'keep-service');
  const lines = [
    !ordered.some(changesSomething)
      ? `stack ${plan.stack}: nothing to do`
      : `stack ${plan.stack}: ${counted.length} operation${counted.length === 1 ? '' : 's'}`,
  ];
  const numbers = new Map(ordered.map((op, i) => [op.id, i + 1]));
  const rows = ordered.map((op) => {
    const d = describeDeployOperation(op);
    const after = op.after
      .map((a) => numbers.get(a))
      .filter((n): n is number => n !== undefined)
      .sort((a, b) => a - b);
    return { n: String(numbers.get(op.id)), ...d, after: after.length ? `after ${after.join(',')}` : '' };
  });
  const width = (pick: (r: (typeof rows)[number]) => string) =>
    Math.max(0, ...rows.map((r) => pick(r).length));
  const [wn, wv, wo, wa] = [
    width((r) => r.n),
    width((r) => r.verb),
    width((r) => r.object),
    width((r) => r.after),
  ];
  for (const r of rows) {
    const columns = [r.n.padStart(wn), r.verb.padEnd(wv), r.object.padEnd(wo)];
    if (wa > 0) columns.push(r.after.padEnd(wa));
    lines.push(`${columns.join('  ')}  ${r.note ?? ''}`.trimEnd());
  }
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
