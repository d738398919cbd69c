import { Dag } from '../graph/dag.js';
import type { Project } from '../compose/model.js';
import type { ContainerSummary } from '../engine/engine.js';
import { dependenciesFromLabel, Label } from './labels.js';
import { serviceImage } from './names.js';
import type { ObservedState } from './observe.js';
import type { ContainerTarget, Operation, OperationBody, Plan } from './operations.js';

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

const isUp = (c: ContainerSummary) =>
  c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
const serviceOf = (c: ContainerSummary) => c.labels[Label.service] ?? '';

const target = (c: ContainerSummary): ContainerTarget => ({
  name: c.name,
  service: serviceOf(c),
  number: Number(c.labels[Label.containerNumber] ?? 0),
  id: c.id,
});

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
    const known = new Set([
      ...Object.keys(project.services),
      ...Object.keys(project.disabled_services ?? {}),
    ]);
    const orphans = containers.filter((c) => !known.has(serviceOf(c)));
    if (orphans.length && !options.removeOrphans) {
      warnings.push(
        `Found orphan containers (${orphans
          .map((c) => c.name)
          .sort()
          .join(
            ', ',
          )}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`,
      );
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
    const stop = isUp(c)
      ? [
          add(`stop:${c.name}`, first, {
            kind: 'stop-container',
            container: target(c),
            timeoutSeconds: options.timeoutSeconds,
          }),
        ]
      : [];
    if (!options.stopOnly)
      removals.push(
        add(`remove:${c.name}`, stop, {
          kind: 'remove-container',
          container: target(c),
          volumes: !!options.volumes,
        }),
      );
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
