import { TsComposeError } from '../core/errors.js';
import { Dag } from '../graph/dag.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import type { ContainerSummary } from '../engine/engine.js';
import { containerPlan, networkSpec, volumeSpec, type ConvertContext } from './convert.js';
import { decodeFieldHashes, describeChanges, fieldHashes, type ServiceHasher } from './hash.js';
import { Label, type ProjectLabels } from './labels.js';
import {
  containerName,
  desiredScale,
  networkName,
  referencedService,
  serviceImage,
  serviceNetworks,
  volumeName,
} from './names.js';
import {
  containerNumber,
  containerTarget,
  knownServices,
  orphanWarning,
  stopAndRemove,
} from './containers.js';
import { bindVolumeDevices, containersByService, type ObservedState } from './observe.js';
import type { ContainerTarget, Operation, OperationBody, Plan, WaitCondition } from './operations.js';

export interface UpPlanOptions {
  /** Services named on the command line (default: all). */
  services?: string[];
  /** Leave out the dependencies of the named services. */
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  /** false for `create`: create containers, start none. */
  start?: boolean;
  /** `up --wait`: wait until every started service is running, or healthy when it has a health check. */
  wait?: boolean;
  scale?: Record<string, number>;
  /** Stop timeout for containers being replaced (`-t`); default: each container's own. */
  timeoutSeconds?: number;
  labels: ProjectLabels;
  /** Compose's config hash (the app layer computes it from the compose room's printable form). */
  hash: ServiceHasher;
  /** The environment of interpolation: `environment:` secrets and configs must find their variable. */
  environment?: Readonly<Record<string, string>>;
}

export interface ImagePlanOptions {
  services?: string[];
  noDeps?: boolean;
  /** `--build`: build every service that has a build section. */
  build?: boolean;
  /** `--no-build`: never build; a missing image is an error. */
  noBuild?: boolean;
  /** `--pull always|missing|never` over each service's pull_policy. */
  pull?: 'always' | 'missing' | 'never';
  /**
   * The builds decided by the build room (service → why, in words), when it was asked; without it,
   * services with a build section are built when their image is missing or with --build.
   */
  builds?: ReadonlyMap<string, string>;
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** Services and what they depend on (depends_on, and `service:` references that need a container). */
export function serviceGraph(project: Project): Dag {
  const dag = new Dag();
  for (const [name, service] of Object.entries(project.services)) {
    dag.addNode(name);
    for (const dep of implicitDependencies(service)) if (project.services[dep]) dag.addEdge(name, dep);
    for (const [dep, d] of Object.entries(service.depends_on ?? {}))
      if (project.services[dep] || d.required) dag.addEdge(name, dep);
  }
  dag.assertAcyclic();
  return dag;
}

/** Services whose containers this one references by name: network_mode, pid, ipc, volumes_from, links. */
function implicitDependencies(service: ServiceConfig): string[] {
  const out = [service.network_mode, service.pid, service.ipc]
    .map(referencedService)
    .filter((s): s is string => !!s);
  for (const v of service.volumes_from ?? []) if (!v.startsWith('container:')) out.push(v.split(':')[0] ?? v);
  for (const l of service.links ?? []) out.push(l.split(':')[0] ?? l);
  return out;
}

/** The services an `up SERVICE...` touches: the named ones and, unless --no-deps, what they need. */
export function selectedServices(
  project: Project,
  services: string[] | undefined,
  noDeps: boolean | undefined,
) {
  const dag = serviceGraph(project);
  const named = services?.length ? services : Object.keys(project.services);
  for (const s of named)
    if (!project.services[s])
      throw new TsComposeError(`no such service: ${s}`, {
        code: 'compose.unknown-service',
        exitCode: 15,
        hint: `the project's services are: ${Object.keys(project.services).sort().join(', ')}`,
      });
  const chosen = noDeps ? new Set(named) : dag.closure(named);
  return { dag, order: dag.topologicalOrder().filter((s) => chosen.has(s)), chosen };
}

/** Phase one of `up`: the images to build or pull before containers can be planned. */
export function planImages(project: Project, observed: ObservedState, options: ImagePlanOptions): Plan {
  const { order } = selectedServices(project, options.services, options.noDeps);
  const operations: Operation[] = [];
  const seen = new Set<string>();
  for (const name of order) {
    const service = project.services[name]!;
    const image = serviceImage(project, name);
    if (seen.has(image)) continue;
    seen.add(image);
    const present = observed.images[image] != null;
    const policy = options.pull ?? service.pull_policy ?? 'missing';
    const reason = options.builds
      ? options.builds.get(name)
      : service.build && !options.noBuild && (options.build || policy === 'build' || !present)
        ? present
          ? 'build requested'
          : 'image missing'
        : undefined;
    if (reason !== undefined) {
      operations.push({ id: `build:${name}`, after: [], kind: 'build-image', service: name, image, reason });
      continue;
    }
    if (present && policy !== 'always') continue;
    if (policy === 'never' || (service.build && options.noBuild && !present))
      throw new TsComposeError(`image ${image} of service ${name} is not on this engine`, {
        code: 'image.missing',
        hint: service.build
          ? 'build it: run without --no-build'
          : `pull it (docker pull ${image}) or set pull_policy`,
      });
    operations.push({ id: `pull:${image}`, after: [], kind: 'pull-image', service: name, image });
  }
  return { project: project.name, operations, warnings: [] };
}

/** Errors that must stop `up` before anything is created: missing external resources, bad bind volumes. */
function preflight(project: Project, observed: ObservedState, networks: Set<string>, volumes: Set<string>) {
  for (const { key, device } of bindVolumeDevices(project)) {
    if (!volumes.has(key)) continue;
    if (!device.startsWith('/'))
      throw new TsComposeError(`volume "${key}" binds the relative path "${device}"`, {
        code: 'volume.bind-relative',
        exitCode: 15,
        location: { path: `volumes.${key}.driver_opts.device` },
        hint: 'a bind volume needs an absolute host path, e.g. ${PWD}/data or /home/<login>/data',
      });
    if (observed.missingPaths.includes(device))
      throw new TsComposeError(`volume "${key}" binds ${device}, which does not exist`, {
        code: 'volume.bind-missing',
        exitCode: 15,
        location: { path: `volumes.${key}.driver_opts.device` },
        hint: `create it first: mkdir -p ${device}`,
      });
  }
  for (const key of networks) {
    if (!project.networks?.[key]?.external) continue;
    const name = networkName(project, key);
    if (!observed.networks.some((n) => n.name === name))
      throw new TsComposeError(`network ${name} is declared as external, but could not be found`, {
        code: 'network.external-missing',
        location: { path: `networks.${key}` },
        hint: `create it with \`docker network create ${name}\`, or remove external: true`,
      });
  }
  for (const key of volumes) {
    if (!project.volumes?.[key]?.external) continue;
    const name = volumeName(project, key);
    if (!observed.volumes.some((v) => v.name === name))
      throw new TsComposeError(`volume ${name} is declared as external, but could not be found`, {
        code: 'volume.external-missing',
        location: { path: `volumes.${key}` },
        hint: `create it with \`docker volume create ${name}\`, or remove external: true`,
      });
  }
}

/** Why an existing container no longer matches its service; empty when it does. */
export function recreateReasons(
  container: ContainerSummary,
  service: ServiceConfig,
  imageId: string | undefined,
  hash: ServiceHasher,
): string[] {
  const reasons: string[] = [];
  if (container.labels[Label.configHash] !== hash(service)) {
    const before = decodeFieldHashes(container.labels[Label.fieldHashes]);
    const changes = before ? describeChanges(before, fieldHashes(service)) : [];
    reasons.push(
      ...(changes.length
        ? changes
        : [before ? 'configuration changed' : 'configuration changed (created without per-field hashes)']),
    );
  }
  if (imageId && container.imageId !== imageId)
    reasons.push(`image changed (${shortId(container.imageId)} → ${shortId(imageId)})`);
  if (container.state === 'dead') reasons.push('container is dead');
  return reasons;
}

/** Phase two of `up` (and `create`): networks, volumes and containers, with starts and waits. */
export function planUp(project: Project, observed: ObservedState, options: UpPlanOptions): Plan {
  const { dag, order, chosen } = selectedServices(project, options.services, options.noDeps);
  const start = options.start ?? true;
  const operations: Operation[] = [];
  const warnings: string[] = [];
  const add = (id: string, after: string[], body: OperationBody) => {
    operations.push({ id, after: [...new Set(after)], ...body } as Operation);
    return id;
  };
  const byService = containersByService(observed);

  // --- networks and volumes the chosen services use
  const networkKeys = new Set<string>();
  const volumeKeys = new Set<string>();
  for (const name of order) {
    const service = project.services[name]!;
    for (const [key] of serviceNetworks(service)) networkKeys.add(key);
    for (const v of service.volumes ?? []) if (v.type === 'volume' && v.source) volumeKeys.add(v.source);
  }
  preflight(project, observed, networkKeys, volumeKeys);

  const resourceOps = new Map<string, string>();
  for (const key of [...networkKeys].sort()) {
    if (project.networks?.[key]?.external) continue;
    const name = networkName(project, key);
    const existing = observed.networks.find((n) => n.name === name);
    if (existing) {
      if (existing.labels[Label.project] !== project.name)
        warnings.push(
          `a network named ${name} exists but was not created for project "${project.name}"; using it (set external: true to say so)`,
        );
      continue;
    }
    resourceOps.set(
      `network:${key}`,
      add(`network:${name}`, [], {
        kind: 'create-network',
        name,
        key,
        spec: networkSpec(project, key, options.labels.version),
      }),
    );
  }
  for (const key of [...volumeKeys].sort()) {
    if (project.volumes?.[key]?.external) continue;
    const name = volumeName(project, key);
    if (observed.volumes.some((v) => v.name === name)) continue;
    resourceOps.set(
      `volume:${key}`,
      add(`volume:${name}`, [], {
        kind: 'create-volume',
        name,
        key,
        spec: volumeSpec(project, key, options.labels.version),
      }),
    );
  }

  // --- containers, service by service in dependency order
  const ctx: ConvertContext = {
    project,
    labels: options.labels,
    apiVersion: observed.apiVersion,
    hash: options.hash,
    environment: options.environment,
    containerOf: (s) =>
      byService.get(s)?.find((c) => containerNumber(c) === 1)?.name ?? containerName(project, s, 1),
  };
  /** Per service: the operations after which its containers exist, and after which they run. */
  const created = new Map<string, string[]>();
  const started = new Map<string, string[]>();
  const replaced = new Set<string>();
  const targets = new Map<string, ContainerTarget[]>();

  for (const name of order) {
    const service = project.services[name]!;
    const scale = desiredScale(service, options.scale?.[name]);
    if (service.container_name && scale > 1)
      throw new TsComposeError(
        `service ${name} has container_name "${service.container_name}" and cannot be scaled to ${scale}`,
        {
          code: 'compose.scale-container-name',
          exitCode: 15,
          location: { path: `services.${name}.container_name` },
          hint: 'remove container_name to run more than one container',
        },
      );
    const image = observed.images[serviceImage(project, name)] ?? undefined;
    const needs = [
      ...serviceNetworks(service).map(([key]) => resourceOps.get(`network:${key}`)),
      ...(service.volumes ?? []).map((v) =>
        v.type === 'volume' && v.source ? resourceOps.get(`volume:${v.source}`) : undefined,
      ),
      ...implicitDependencies(service).flatMap((s) => [...(created.get(s) ?? []), ...(started.get(s) ?? [])]),
    ].filter((id): id is string => !!id);
    const referencedRecreated = implicitDependencies(service).filter((s) => replaced.has(s));

    // one container per number, the one with its proper name first: a recreation interrupted
    // between creating the new container (under a temporary name) and removing the old one leaves two
    const proper = (c: ContainerSummary) =>
      c.name === containerName(project, name, containerNumber(c)) ? 0 : 1;
    const existing = [...(byService.get(name) ?? [])].sort(
      (a, b) => containerNumber(a) - containerNumber(b) || proper(a) - proper(b),
    );
    const firstOfNumber = existing.filter(
      (c, i) => i === 0 || containerNumber(existing[i - 1]!) !== containerNumber(c),
    );
    const kept = firstOfNumber.slice(0, scale);
    const excess = existing.filter((c) => !kept.includes(c));
    const createdOps: string[] = [];
    const startOps: string[] = [];
    const pendingStarts: { target: ContainerTarget; after: string[] }[] = [];
    const serviceTargets: ContainerTarget[] = [];

    // containers beyond the scale, and leftovers of an interrupted recreation, go first: a leftover
    // holds the temporary name that recreating its number uses again
    const cleared = excess.flatMap(
      (c) => stopAndRemove(add, c, { timeoutSeconds: options.timeoutSeconds, volumes: false }) ?? [],
    );
    for (const c of kept) {
      const target = containerTarget(c);
      serviceTargets.push(target);
      let reasons: string[] = [];
      if (options.forceRecreate && !options.noRecreate) reasons = ['--force-recreate'];
      else if (!options.noRecreate) {
        reasons = recreateReasons(c, service, image?.id, options.hash);
        for (const s of referencedRecreated) reasons.push(`${s} is recreated and this container uses it`);
        if (proper(c)) reasons.push(`named ${c.name}, left by an interrupted recreation`);
      }
      if (reasons.length > 0) {
        const newTarget: ContainerTarget = {
          name: containerName(project, name, target.number),
          service: name,
          number: target.number,
        };
        const plan = containerPlan(ctx, {
          service: name,
          number: target.number,
          name: newTarget.name,
          imageId: image?.id,
          replaces: c.id,
          inherit: c.mounts,
        });
        warnings.push(...plan.warnings);
        const id = add(`recreate:${newTarget.name}`, [...needs, ...cleared], {
          kind: 'recreate-container',
          container: newTarget,
          replaces: { id: c.id, name: c.name },
          reasons,
          plan,
          timeoutSeconds: options.timeoutSeconds,
        });
        serviceTargets[serviceTargets.length - 1] = newTarget;
        createdOps.push(id);
        replaced.add(name);
        if (start) pendingStarts.push({ target: newTarget, after: [id] });
      } else if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') {
        add(`keep:${c.name}`, [], { kind: 'keep-container', container: target, state: c.state });
      } else if (start) {
        pendingStarts.push({ target, after: [] });
      } else {
        add(`keep:${c.name}`, [], { kind: 'keep-container', container: target, state: c.state });
      }
    }
    const used = new Set(kept.map(containerNumber));
    let next = 1;
    for (let i = kept.length; i < scale; i++) {
      while (used.has(next)) next++;
      used.add(next);
      const target: ContainerTarget = {
        name: containerName(project, name, next),
        service: name,
        number: next,
      };
      serviceTargets.push(target);
      const plan = containerPlan(ctx, { service: name, number: next, name: target.name, imageId: image?.id });
      warnings.push(...plan.warnings);
      const id = add(`create:${target.name}`, needs, { kind: 'create-container', container: target, plan });
      createdOps.push(id);
      if (start) pendingStarts.push({ target, after: [id] });
    }
    created.set(name, createdOps);
    targets.set(name, serviceTargets);

    // depends_on.restart: a dependency that was replaced restarts the containers that were kept running
    const restartFor = Object.entries(service.depends_on ?? {})
      .filter(([dep, d]) => d.restart && replaced.has(dep))
      .map(([dep]) => dep);
    const restarts =
      start && restartFor.length && !replaced.has(name) ? kept.filter((c) => c.state === 'running') : [];

    // what a start of this service waits for: its dependencies started, and their conditions met
    const gates: string[] = [];
    for (const dep of dag.dependenciesOf(name)) {
      if (!chosen.has(dep)) continue;
      gates.push(...(started.get(dep) ?? []));
      const d = service.depends_on?.[dep];
      const condition: WaitCondition | undefined =
        d?.condition === 'service_healthy'
          ? 'healthy'
          : d?.condition === 'service_completed_successfully'
            ? 'completed'
            : undefined;
      if (!condition || pendingStarts.length + restarts.length === 0) continue;
      for (const t of targets.get(dep) ?? []) {
        const waitId = `wait:${t.name}:${condition}`;
        const existingWait = operations.find((op) => op.id === waitId);
        if (existingWait?.kind === 'wait-container') existingWait.dependents.push(name);
        else
          add(waitId, started.get(dep) ?? [], {
            kind: 'wait-container',
            container: t,
            condition,
            dependents: [name],
            required: d?.required ?? true,
          });
        gates.push(waitId);
      }
    }
    for (const { target, after } of pendingStarts)
      startOps.push(
        add(`start:${target.name}`, [...after, ...needs, ...gates], {
          kind: 'start-container',
          container: target,
        }),
      );
    for (const c of restarts) {
      const target = containerTarget(c);
      const keep = operations.findIndex((op) => op.id === `keep:${c.name}`);
      if (keep >= 0) operations.splice(keep, 1);
      startOps.push(
        add(`restart:${c.name}`, gates, {
          kind: 'restart-container',
          container: target,
          reason: `${restartFor.join(', ')} ${restartFor.length > 1 ? 'were' : 'was'} recreated (depends_on restart: true)`,
          timeoutSeconds: options.timeoutSeconds,
        }),
      );
    }
    started.set(name, startOps);
  }

  // --- up --wait: everything started ends running, or healthy; a one-shot service that others wait
  // to complete successfully is done when it has (as with Compose, it is not expected to keep running)
  if (options.wait && start) {
    const oneShots = new Set(
      order.flatMap((name) =>
        Object.entries(project.services[name]?.depends_on ?? {})
          .filter(([, d]) => d.condition === 'service_completed_successfully')
          .map(([dep]) => dep),
      ),
    );
    // one wait per container: a dependent's wait for it to be healthy (or to complete) is enough
    const waited = (name: string, condition: WaitCondition) =>
      operations.some(
        (op) =>
          op.kind === 'wait-container' &&
          op.container.name === name &&
          (op.condition === condition || (condition === 'ready' && op.condition === 'healthy')),
      );
    for (const name of order) {
      const condition: WaitCondition = oneShots.has(name) ? 'completed' : 'ready';
      for (const t of targets.get(name) ?? [])
        if (!waited(t.name, condition))
          add(`wait:${t.name}:${condition}`, started.get(name) ?? [], {
            kind: 'wait-container',
            container: t,
            condition,
            dependents: [],
            required: true,
          });
    }
  }

  // --- orphans: containers of services the project no longer has
  const known = knownServices(project);
  const orphans = [...byService].filter(([s]) => !known.has(s)).flatMap(([, cs]) => cs);
  if (orphans.length && !options.removeOrphans) warnings.push(orphanWarning(orphans));
  if (orphans.length && options.removeOrphans)
    for (const c of orphans)
      stopAndRemove(add, c, { timeoutSeconds: options.timeoutSeconds, volumes: false });

  return { project: project.name, operations, warnings };
}
