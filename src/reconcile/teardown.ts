import { Dag } from '../graph/dag.js';
import type { Project } from '../compose/model.js';
import { dependenciesFromLabel, Label } from './labels.js';
import { serviceImage } from './names.js';
import type { ObservedState } from './observe.js';
import { isUp, knownServices, orphanWarning, serviceOf, stopAndRemove } from './containers.js';
import type { Operation, OperationBody, Plan } from './operations.js';

export interface DownPlanOptions {
  /** The loaded project when there is a compose file; without it, labels alone say what to remove. */
  project?: Project;
  /** `-v`: the project's named volumes and the containers' anonymous volumes. */
  volumes?: boolean;
  removeOrphans?: boolean;
  /** `--rmi local`: images built for services without an `image:`; `all`: every service image. */
  rmi?: 'local' | 'all';
  timeoutSeconds?: number;
  /** Only these services (stop, rm): their containers, no networks, volumes or images. */
  services?: string[];
  /** `stop`: stop only, remove nothing. */
  stopOnly?: boolean;
}

/**
 * `down` (and `stop`, `rm -s`): containers stop in reverse dependency order (dependents first, read
 * from the project or from com.docker.compose.depends_on labels), each is removed once stopped, then
 * networks, volumes and images go.
 */
export function planDown(observed: ObservedState, options: DownPlanOptions): Plan {
  const { project } = options;
  const operations: Operation[] = [];
  const warnings: string[] = [];
  const add = (id: string, after: string[], body: OperationBody) => {
    operations.push({ id, after, ...body } as Operation);
    return id;
  };

  let containers = observed.containers;
  if (project && !options.services) {
    const known = knownServices(project);
    const orphans = containers.filter((c) => !known.has(serviceOf(c)));
    if (orphans.length && !options.removeOrphans) {
      warnings.push(orphanWarning(orphans));
      containers = containers.filter((c) => known.has(serviceOf(c)));
    }
  }
  if (options.services) {
    const wanted = new Set(options.services);
    containers = containers.filter((c) => wanted.has(serviceOf(c)));
  }

  // which services depend on which: from the project where there is one, else from labels
  const dag = new Dag();
  for (const c of containers) {
    const service = serviceOf(c);
    dag.addNode(service);
    const deps = project?.services[service]?.depends_on
      ? Object.keys(project.services[service]?.depends_on ?? {})
      : dependenciesFromLabel(c.labels[Label.dependsOn]);
    for (const dep of deps) dag.addEdge(service, dep);
  }
  const stopsOf = new Map<string, string[]>();
  const byName = [...containers].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const c of byName) {
    if (!isUp(c)) continue;
    const list = stopsOf.get(serviceOf(c)) ?? [];
    list.push(`stop:${c.name}`);
    stopsOf.set(serviceOf(c), list);
  }
  const removals: string[] = [];
  for (const c of byName) {
    const service = serviceOf(c);
    // a container stops after every container of the services that depend on it
    const first = dag.dependentsOf(service).flatMap((s) => stopsOf.get(s) ?? []);
    const removal = stopAndRemove(add, c, {
      after: first,
      timeoutSeconds: options.timeoutSeconds,
      volumes: !!options.volumes,
      remove: !options.stopOnly,
    });
    if (removal) removals.push(removal);
  }
  if (options.stopOnly || options.services) return { project: observed.project, operations, warnings };

  for (const n of observed.networks
    .filter((n) => n.labels[Label.project] === observed.project)
    .sort((a, b) => (a.name < b.name ? -1 : 1)))
    add(`remove-network:${n.name}`, removals, { kind: 'remove-network', name: n.name });
  if (options.volumes)
    for (const v of observed.volumes
      .filter((v) => v.labels[Label.project] === observed.project)
      .sort((a, b) => (a.name < b.name ? -1 : 1)))
      add(`remove-volume:${v.name}`, removals, { kind: 'remove-volume', name: v.name });
  if (options.rmi) {
    const images = new Set<string>();
    if (project)
      for (const [name, service] of Object.entries(project.services))
        if (options.rmi === 'all' || !service.image) images.add(serviceImage(project, name));
    for (const c of observed.containers) {
      const local = c.image === `${observed.project}-${serviceOf(c)}`;
      if (options.rmi === 'all' || local) images.add(c.image);
    }
    for (const image of [...images].sort())
      add(`remove-image:${image}`, removals, { kind: 'remove-image', image });
  }
  return { project: observed.project, operations, warnings };
}
