import { createHash } from 'node:crypto';
import { TsComposeError } from '../core/errors.js';
import { Dag } from '../graph/dag.js';
import type { Project, SecretConfig } from '../compose/model.js';
import type { ServiceSpec, SwarmObject, SwarmService, SwarmState } from '../engine/swarm.js';
import { comparableSpec, describeDifferences, scaleOnly } from './compare.js';
import { serviceSpec, stackNetworkSpec } from './convert.js';
import {
  StackLabel,
  composeImage,
  scoped,
  serviceName,
  serviceNetworkEntries,
  stackNetworkName,
} from './names.js';
import { bindDevices, type StackObserved } from './observe.js';
import type { DeployOperation, DeployOperationBody, DeployPlan, ServiceWaitCondition } from './operations.js';
import { unsupportedFields, unsupportedNetwork } from './unsupported.js';

export interface DeployPlanOptions {
  /**
   * Content of the secrets and configs the services mount, by compose key (external ones have
   * none). The app reads them (files, environment variables, inline content).
   */
  contents: { secrets: Readonly<Record<string, Uint8Array>>; configs: Readonly<Record<string, Uint8Array>> };
  /** `--prune`: remove the stack's services that the compose file no longer has. */
  prune?: boolean;
  /** `--wait`: wait until every service has converged (healthy where it has a health check). */
  wait?: boolean;
  /** Services whose image is still to be built (a dry run builds nothing): planned by reference. */
  pendingImages?: ReadonlySet<string>;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The engine name of a secret or config: its compose name (`<stack>_<key>` or `name:`) and a digest
 * of its content. Swarm secrets and configs cannot change, so new content is a new object under a
 * new name, the services that mount it roll to it, and the old one goes. The digest is no secret:
 * whoever can list secrets can read them in the containers that mount them.
 */
export function contentName(base: string, data: Uint8Array): { name: string; digest: string } {
  const digest = sha256(data);
  return { name: `${base}-${digest.slice(0, 10)}`, digest };
}

/** Swarm refuses object names longer than this. */
const maxNameLength = 64;

const modeKind = (spec: ServiceSpec) => ('Global' in spec.Mode ? 'global' : 'replicated');

const replicasText = (s: SwarmService) =>
  s.runningTasks !== undefined && s.desiredTasks !== undefined
    ? `${s.runningTasks}/${s.desiredTasks}`
    : 'Replicated' in s.spec.Mode
      ? String(s.spec.Mode.Replicated.Replicas)
      : 'global';

function stackGraph(project: Project): Dag {
  const dag = new Dag();
  for (const [name, service] of Object.entries(project.services)) {
    dag.addNode(name);
    for (const dep of Object.keys(service.depends_on ?? {}))
      if (project.services[dep]) dag.addEdge(name, dep);
  }
  dag.assertAcyclic();
  return dag;
}

/** Only a swarm manager deploys, lists and removes stacks. */
export function assertSwarmManager(swarm: SwarmState): void {
  if (swarm.localNodeState !== 'active')
    throw new TsComposeError(
      `this Docker engine is not part of a swarm (its swarm state is ${swarm.localNodeState})`,
      {
        code: 'swarm.inactive',
        hint: 'make it a single-node swarm with `docker swarm init --advertise-addr <this machine’s IP>`, or point DOCKER_HOST at a manager',
      },
    );
  if (!swarm.controlAvailable)
    throw new TsComposeError('this Docker engine is a swarm worker: only managers deploy stacks', {
      code: 'swarm.not-manager',
      hint: 'run the deploy on a manager node (docker node ls there lists them), or point DOCKER_HOST at one',
    });
}

/** What each service runs: by id on one node, by registry digest on several; refused when it cannot reach the others. */
function resolveImages(
  project: Project,
  observed: StackObserved,
  multiNode: boolean,
  pending: ReadonlySet<string>,
) {
  const images: Record<string, string> = {};
  const warnings: string[] = [];
  const unpushed: string[] = [];
  for (const name of Object.keys(project.services)) {
    const ref = composeImage(project, name);
    const identity = observed.images[ref];
    if (pending.has(name) || !identity) {
      images[name] = ref;
      if (!pending.has(name))
        warnings.push(
          `service ${name}: image ${ref} is not on this node; every node that runs a task pulls it`,
        );
      continue;
    }
    if (!multiNode) {
      images[name] = identity.id;
      continue;
    }
    const repo = ref.replace(/:[^/:@]+$/, '').replace(/@.*$/, '');
    const digest = identity.repoDigests.find((d) => d.startsWith(`${repo}@`)) ?? identity.repoDigests[0];
    if (digest) images[name] = digest;
    else if (project.services[name]?.build) unpushed.push(`${ref} (service ${name})`);
    else images[name] = ref;
  }
  if (unpushed.length)
    throw new TsComposeError(
      `the swarm has ${observed.nodes.length} nodes, and these images exist on this one only: ${unpushed.join(', ')}`,
      {
        code: 'swarm.push-needed',
        hint: 'push them to a registry every node reaches (name it in image:, e.g. registry.example:5000/nginx:1.0, then docker push), and deploy again',
      },
    );
  return { images, warnings };
}

type ObjectKind = 'secret' | 'config';

/** Secrets or configs the services mount: reused when one with the same content exists, else created. */
function planObjects(
  project: Project,
  observed: StackObserved,
  kind: ObjectKind,
  contents: Readonly<Record<string, Uint8Array>>,
  push: (op: DeployOperationBody & { id: string }) => void,
) {
  const plural = kind === 'secret' ? 'secrets' : 'configs';
  const definitions: Record<string, SecretConfig> = project[plural] ?? {};
  const existing: SwarmObject[] = kind === 'secret' ? observed.secrets : observed.configs;
  const names: Record<string, string> = {};
  const createdBy = new Map<string, string>();
  const used = new Set(
    Object.values(project.services).flatMap((s) => (s[plural] ?? []).map((r) => r.source)),
  );
  for (const key of [...used].sort()) {
    const definition = definitions[key];
    if (!definition)
      throw new TsComposeError(`${kind} "${key}" is used by a service but not defined`, {
        code: 'compose.undefined-reference',
        exitCode: 15,
        location: { path: `${plural}.${key}` },
        hint: `define it under the top-level ${plural}: key`,
      });
    if (definition.external) {
      const name = definition.name ?? key;
      if (!existing.some((o) => o.name === name))
        throw new TsComposeError(`${kind} ${name} is declared as external, but could not be found`, {
          code: `${kind}.external-missing`,
          location: { path: `${plural}.${key}` },
          hint: `create it with \`printf %s "$VALUE" | docker ${kind} create ${name} -\`, or remove external: true`,
        });
      names[key] = name;
      continue;
    }
    const data = contents[key];
    if (!data) throw new Error(`the content of ${kind} ${key} was not read before planning`);
    const { name, digest } = contentName(definition.name ?? scoped(observed.stack, key), data);
    if (name.length > maxNameLength)
      throw new TsComposeError(`${kind} name ${name} is longer than Swarm's ${maxNameLength} characters`, {
        code: 'swarm.name-too-long',
        exitCode: 15,
        location: { path: `${plural}.${key}` },
        hint: 'use a shorter stack name (--stack) or give the object a shorter name:',
      });
    names[key] = name;
    if (existing.some((o) => o.name === name)) continue;
    const labels = {
      ...definition.labels,
      [StackLabel.namespace]: observed.stack,
      [StackLabel.key]: key,
      [StackLabel.digest]: digest,
    };
    const id = `${kind}:${name}`;
    const body = { Name: name, Labels: labels, Data: Buffer.from(data).toString('base64') };
    if (kind === 'secret')
      push({
        id,
        kind: 'create-secret',
        name,
        key,
        spec: {
          ...body,
          ...(definition.driver
            ? { Driver: { Name: definition.driver, Options: definition.driver_opts } }
            : {}),
          ...(definition.template_driver ? { Templating: { Name: definition.template_driver } } : {}),
        },
      });
    else
      push({
        id,
        kind: 'create-config',
        name,
        key,
        spec: {
          ...body,
          ...(definition.template_driver ? { Templating: { Name: definition.template_driver } } : {}),
        },
      });
    createdBy.set(name, id);
  }
  return { names, createdBy };
}

/** The networks the services join: created when missing, refused when an external one is not there. */
function planNetworks(
  project: Project,
  observed: StackObserved,
  push: (op: DeployOperationBody & { id: string }) => void,
  warnings: string[],
) {
  const createdBy = new Map<string, string>();
  const keys = new Set(
    Object.values(project.services).flatMap((s) => serviceNetworkEntries(s).map(([key]) => key)),
  );
  for (const key of [...keys].sort()) {
    const name = stackNetworkName(project, observed.stack, key);
    const found = observed.networks.find((n) => n.name === name);
    if (project.networks?.[key]?.external) {
      if (!found)
        throw new TsComposeError(`network ${name} is declared as external, but could not be found`, {
          code: 'network.external-missing',
          location: { path: `networks.${key}` },
          hint: `create it with \`docker network create --driver overlay --attachable ${name}\`, or remove external: true`,
        });
      continue;
    }
    for (const line of unsupportedNetwork(project, key)) warnings.push(`network ${key}: ${line}`);
    if (found) {
      if (found.driver !== 'overlay')
        throw new TsComposeError(
          `network ${name} exists with driver ${found.driver}, which Swarm services cannot join`,
          {
            code: 'swarm.network-conflict',
            location: { path: `networks.${key}` },
            hint: `it is likely the project's own network from \`tscompose up\`: run \`tscompose down\` first, or deploy under another name (--stack)`,
          },
        );
      if (found.labels[StackLabel.namespace] !== observed.stack)
        warnings.push(
          `network ${key}: ${name} exists but was not created for stack "${observed.stack}"; using it`,
        );
      continue;
    }
    const id = `network:${name}`;
    push({ id, kind: 'create-network', name, key, spec: stackNetworkSpec(project, observed.stack, key) });
    createdBy.set(name, id);
  }
  return { createdBy };
}

function preflightVolumes(project: Project, observed: StackObserved) {
  for (const { key, device } of bindDevices(project)) {
    if (!device.startsWith('/'))
      throw new TsComposeError(`volume "${key}" binds the relative path "${device}"`, {
        code: 'volume.bind-relative',
        exitCode: 15,
        location: { path: `volumes.${key}.driver_opts.device` },
        hint: 'a bind volume needs an absolute host path, e.g. /home/<login>/data',
      });
    if (observed.missingPaths.includes(device))
      throw new TsComposeError(`volume "${key}" binds ${device}, which does not exist`, {
        code: 'volume.bind-missing',
        exitCode: 15,
        location: { path: `volumes.${key}.driver_opts.device` },
        hint: `create it first: mkdir -p ${device}`,
      });
  }
}

/** Secret and config names a service spec mounts. */
const mountedObjects = (spec: ServiceSpec) => ({
  secrets: (spec.TaskTemplate.ContainerSpec.Secrets ?? []).map((s) => s.SecretName),
  configs: (spec.TaskTemplate.ContainerSpec.Configs ?? []).map((c) => c.ConfigName),
});

/** Create, keep, update (or scale), or remove and create again when the mode changes. */
function serviceOperations(
  name: string,
  spec: ServiceSpec,
  current: SwarmService | undefined,
  networkNames: ReadonlyMap<string, string>,
  stack: string,
): (DeployOperationBody & { id: string })[] {
  const id = `service:${name}`;
  const full = serviceName(stack, name);
  if (!current) return [{ id, kind: 'create-service', service: name, name: full, spec }];
  if (modeKind(current.spec) !== modeKind(spec)) {
    // Swarm cannot change a service's mode: it is removed and created again
    const reason = `deploy.mode ${modeKind(current.spec)} → ${modeKind(spec)}`;
    return [
      { id: `remove:${name}`, kind: 'remove-service', name: full, serviceId: current.id, reason },
      { id, kind: 'create-service', service: name, name: full, spec },
    ];
  }
  const desired = comparableSpec(spec, new Map());
  const stored = comparableSpec(current.spec, networkNames);
  const reasons = describeDifferences(desired, stored);
  if (reasons.length === 0)
    return [
      {
        id,
        kind: 'keep-service',
        service: name,
        name: full,
        serviceId: current.id,
        replicas: replicasText(current),
      },
    ];
  // a forced-redeploy counter set by hand (docker service update --force) is carried over
  const force = current.spec.TaskTemplate.ForceUpdate;
  const update = force ? { ...spec, TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: force } } : spec;
  const scale = scaleOnly(desired, stored);
  return [
    {
      id,
      kind: 'update-service',
      service: name,
      name: full,
      serviceId: current.id,
      version: current.version,
      spec: update,
      reasons,
      ...(scale ? { scale } : {}),
    },
  ];
}

/**
 * The pure planner of `deploy`: (project, observed swarm) → operations. Services whose spec matches
 * are kept, changed ones updated (a replica change is a scale), new ones created; a service is
 * deployed after the services it depends on, which are waited for until their tasks run (healthy
 * where they have a health check). Secrets and configs are content-addressed; the ones no service
 * mounts any more are removed at the end.
 */
export function planDeploy(
  project: Project,
  observed: StackObserved,
  options: DeployPlanOptions,
): DeployPlan {
  assertSwarmManager(observed.swarm);
  const stack = observed.stack;
  const operations: DeployOperation[] = [];
  const warnings: string[] = [];
  const push = (op: DeployOperationBody & { id: string }, after: string[] = []) =>
    operations.push({ ...op, after } as DeployOperation);

  const readyNodes = observed.nodes.filter((n) => n.state === 'ready');
  const multiNode = readyNodes.length > 1;
  const dag = stackGraph(project);
  const order = dag.topologicalOrder();

  for (const name of order)
    for (const line of unsupportedFields(project, name, observed.apiVersion, { multiNode }))
      warnings.push(`service ${name}: ${line}`);
  preflightVolumes(project, observed);
  const { images, warnings: imageWarnings } = resolveImages(
    project,
    observed,
    multiNode,
    options.pendingImages ?? new Set(),
  );
  warnings.push(...imageWarnings);

  const networks = planNetworks(project, observed, push, warnings);
  const secrets = planObjects(project, observed, 'secret', options.contents.secrets, push);
  const configs = planObjects(project, observed, 'config', options.contents.configs, push);

  const ctx = {
    project,
    stack,
    images,
    secretNames: secrets.names,
    configNames: configs.names,
    apiVersion: observed.apiVersion,
  };
  const networkNames = new Map(observed.networks.map((n) => [n.id, n.name]));
  const byName = new Map(observed.services.map((s) => [s.spec.Name, s]));

  // why each service is waited for: the strongest condition its dependents ask, or --wait
  const waitFor = new Map<string, { condition: ServiceWaitCondition; dependents: string[] }>();
  for (const name of order)
    for (const [dep, d] of Object.entries(project.services[name]?.depends_on ?? {})) {
      if (!project.services[dep]) continue;
      const entry = waitFor.get(dep) ?? { condition: 'running' as ServiceWaitCondition, dependents: [] };
      if (d.condition === 'service_healthy') entry.condition = 'healthy';
      entry.dependents.push(name);
      waitFor.set(dep, entry);
    }
  if (options.wait)
    for (const name of order)
      if (!waitFor.has(name)) waitFor.set(name, { condition: 'converged', dependents: [] });

  // each service's operation first, then the waits: a wait is worth it only around a change
  const decided = order.map((name) => {
    const spec = serviceSpec(ctx, name);
    const mounted = mountedObjects(spec);
    const needs = [
      ...serviceNetworkEntries(project.services[name]!).map(
        ([key]) => networks.createdBy.get(stackNetworkName(project, stack, key)) ?? '',
      ),
      ...mounted.secrets.map((s) => secrets.createdBy.get(s) ?? ''),
      ...mounted.configs.map((c) => configs.createdBy.get(c) ?? ''),
    ].filter(Boolean);
    return {
      name,
      spec,
      needs,
      ops: serviceOperations(name, spec, byName.get(serviceName(stack, name)), networkNames, stack),
    };
  });
  const changed = new Set(
    decided.filter((d) => d.ops.some((op) => op.kind !== 'keep-service')).map((d) => d.name),
  );
  const waits = new Map(
    [...waitFor].filter(
      ([name, w]) => options.wait || changed.has(name) || w.dependents.some((d) => changed.has(d)),
    ),
  );
  const serviceOps: string[] = [];
  for (const { name, needs, ops } of decided) {
    const waitsFor = dag
      .dependenciesOf(name)
      .filter((dep) => waits.has(dep))
      .map((dep) => `wait:${dep}`);
    for (const op of ops) {
      const after =
        op.kind === 'remove-service' || op.kind === 'keep-service'
          ? []
          : [...new Set([...needs, ...waitsFor, ...(ops.length > 1 ? [`remove:${name}`] : [])])].sort();
      push(op, after);
      serviceOps.push(op.id);
    }
    const wait = waits.get(name);
    if (wait)
      push(
        {
          id: `wait:${name}`,
          kind: 'wait-service',
          service: name,
          name: serviceName(stack, name),
          condition: wait.condition,
          dependents: wait.dependents,
        },
        [`service:${name}`],
      );
  }
  const deployedSpecs = decided.map((d) => d.spec);

  // services of the stack that the file no longer has
  const kept: SwarmService[] = [];
  const removals: string[] = [];
  for (const s of [...observed.services].sort((a, b) => (a.spec.Name < b.spec.Name ? -1 : 1))) {
    const key = s.spec.Name.startsWith(`${stack}_`) ? s.spec.Name.slice(stack.length + 1) : s.spec.Name;
    if (project.services[key]) continue;
    if (options.prune) {
      const id = `remove:${key}`;
      push({
        id,
        kind: 'remove-service',
        name: s.spec.Name,
        serviceId: s.id,
        reason: 'not in the compose file',
      });
      push({ id: `stopped:${key}`, kind: 'wait-removed', name: s.spec.Name, serviceId: s.id }, [id]);
      removals.push(`stopped:${key}`);
    } else {
      kept.push(s);
      warnings.push(
        `service ${s.spec.Name} of stack ${stack} is not in the compose file: it keeps running (deploy --prune removes it)`,
      );
    }
  }

  // old content of secrets and configs, and networks nothing joins any more
  serviceOps.push(...removals);
  const stillMounted = {
    secrets: new Set(
      [...deployedSpecs, ...kept.map((s) => s.spec)].flatMap((s) => mountedObjects(s).secrets),
    ),
    configs: new Set(
      [...deployedSpecs, ...kept.map((s) => s.spec)].flatMap((s) => mountedObjects(s).configs),
    ),
  };
  for (const [kind, list] of [
    ['secret', observed.secrets],
    ['config', observed.configs],
  ] as const) {
    const inUse = kind === 'secret' ? stillMounted.secrets : stillMounted.configs;
    for (const o of [...list].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (o.labels[StackLabel.namespace] !== stack || inUse.has(o.name)) continue;
      const body = { id: `remove-${kind}:${o.name}`, name: o.name, objectId: o.id, ifUnused: true };
      push(
        kind === 'secret' ? { ...body, kind: 'remove-secret' } : { ...body, kind: 'remove-config' },
        serviceOps,
      );
    }
  }
  const joined = new Set(
    [...deployedSpecs, ...kept.map((s) => s.spec)].flatMap((s) =>
      (s.TaskTemplate.Networks ?? []).map((n) => networkNames.get(n.Target) ?? n.Target),
    ),
  );
  for (const n of [...observed.networks].sort((a, b) => (a.name < b.name ? -1 : 1)))
    if (n.labels[StackLabel.namespace] === stack && !joined.has(n.name))
      push({ id: `remove-network:${n.name}`, kind: 'remove-network', name: n.name }, serviceOps);

  const ids = (list: SwarmObject[]) => Object.fromEntries(list.map((o) => [o.name, o.id]));
  return { stack, operations, warnings, secretIds: ids(observed.secrets), configIds: ids(observed.configs) };
}
