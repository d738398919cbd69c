import { StackLabel } from './names.js';
import type { StackObserved } from './observe.js';
import type { DeployOperation, DeployPlan } from './operations.js';

/**
 * `undeploy`, as `docker stack rm`: the stack's services, then its networks, secrets and configs,
 * found by com.docker.stack.namespace. Volumes stay (they hold the data; `docker volume rm` them
 * by hand). Networks and objects go once the services' tasks have stopped: their containers hold
 * the networks (and published ports) until then.
 */
export function planUndeploy(observed: StackObserved): DeployPlan {
  const stack = observed.stack;
  const ours = <T extends { labels: Record<string, string> }>(list: T[]) =>
    list.filter((o) => o.labels[StackLabel.namespace] === stack);
  const byName =
    <T>(pick: (x: T) => string) =>
    (a: T, b: T) =>
      pick(a) < pick(b) ? -1 : pick(a) > pick(b) ? 1 : 0;
  const operations: DeployOperation[] = [];
  const services = [...observed.services].sort(byName((s) => s.spec.Name));
  for (const s of services)
    operations.push({
      id: `remove:${s.spec.Name}`,
      after: [],
      kind: 'remove-service',
      name: s.spec.Name,
      serviceId: s.id,
    });
  for (const s of services)
    operations.push({
      id: `stopped:${s.spec.Name}`,
      after: [`remove:${s.spec.Name}`],
      kind: 'wait-removed',
      name: s.spec.Name,
      serviceId: s.id,
    });
  const afterServices = operations.filter((op) => op.kind === 'wait-removed').map((op) => op.id);
  for (const n of ours(observed.networks).sort(byName((n) => n.name)))
    operations.push({
      id: `remove-network:${n.name}`,
      after: afterServices,
      kind: 'remove-network',
      name: n.name,
    });
  for (const o of ours(observed.secrets).sort(byName((o) => o.name)))
    operations.push({
      id: `remove-secret:${o.name}`,
      after: afterServices,
      kind: 'remove-secret',
      name: o.name,
      objectId: o.id,
      ifUnused: false,
    });
  for (const o of ours(observed.configs).sort(byName((o) => o.name)))
    operations.push({
      id: `remove-config:${o.name}`,
      after: afterServices,
      kind: 'remove-config',
      name: o.name,
      objectId: o.id,
      ifUnused: false,
    });
  return { stack, operations, warnings: [], secretIds: {}, configIds: {} };
}
