import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { TsComposeError } from '../core/errors.js';
import type { ServiceConfig } from '../compose/model.js';
import type { ContainerSummary, Engine } from '../engine/engine.js';
import { containerPlan } from '../reconcile/convert.js';
import { injectFiles } from '../reconcile/inject.js';
import { isOneOff, Label, projectFilter } from '../reconcile/labels.js';
import { containerName, serviceImage } from '../reconcile/names.js';
import { projectLabels, type LoadedProject } from './compose-service.js';
import { serviceHash } from './service-hash.js';

export interface StdStreams {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Initial terminal size when a TTY is used. */
  size?: { rows: number; columns: number };
}

export interface ExecOptions {
  service: string;
  command: string[];
  /** Container number (`--index`), default 1. */
  index?: number;
  user?: string;
  workdir?: string;
  env?: string[];
  privileged?: boolean;
  tty: boolean;
  /** Attach stdin (`-i`, default on). */
  interactive: boolean;
  signal?: AbortSignal;
}

/** The running container `index` of a service, or an error that says what runs instead. */
export async function serviceContainer(
  engine: Engine,
  projectName: string,
  service: string,
  index = 1,
): Promise<ContainerSummary> {
  const containers = await engine.listContainers({
    label: [...projectFilter(projectName).label, `${Label.service}=${service}`],
    all: true,
  });
  const own = containers.filter((c) => !isOneOff(c.labels));
  const chosen = own.find((c) => Number(c.labels[Label.containerNumber]) === index);
  if (!chosen || chosen.state !== 'running')
    throw new TsComposeError(
      chosen
        ? `service "${service}" is not running (container ${chosen.name} is ${chosen.state})`
        : `service "${service}" is not running`,
      {
        code: 'service.not-running',
        hint: own.length
          ? `start it: tscompose start ${service}`
          : `create and start it: tscompose up -d ${service}`,
      },
    );
  return chosen;
}

/** `exec`: runs a command in a service's running container; resolves with its exit code. */
export async function execInService(
  engine: Engine,
  projectName: string,
  options: ExecOptions,
  io: StdStreams,
) {
  const container = await serviceContainer(engine, projectName, options.service, options.index);
  return engine.exec(container.id, {
    cmd: options.command,
    env: options.env,
    user: options.user,
    workingDir: options.workdir,
    privileged: options.privileged,
    tty: options.tty,
    stdin: options.interactive ? io.stdin : undefined,
    stdout: io.stdout,
    stderr: io.stderr,
    size: io.size,
    signal: options.signal,
  });
}

export interface RunOptions {
  service: string;
  /** The command; empty: the service's own. */
  command: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  user?: string;
  workdir?: string;
  name?: string;
  /** Publish the service's ports (`--service-ports`); by default a one-off container publishes none. */
  servicePorts?: boolean;
  remove?: boolean;
  detach?: boolean;
  tty: boolean;
  interactive: boolean;
  labels?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The service as a one-off container runs it: the command, entrypoint, environment, user and working
 * directory of the command line over the service's, no published ports unless asked, no restart policy.
 */
export function oneOffService(service: ServiceConfig, options: RunOptions): ServiceConfig {
  return {
    ...service,
    command: options.command.length ? options.command : service.command,
    entrypoint: options.entrypoint ?? service.entrypoint,
    environment: { ...service.environment, ...options.env },
    user: options.user ?? service.user,
    working_dir: options.workdir ?? service.working_dir,
    ports: options.servicePorts ? service.ports : undefined,
    labels: { ...service.labels, ...options.labels },
    tty: options.tty,
    stdin_open: options.interactive,
    restart: undefined,
    container_name: undefined,
  };
}

/**
 * `run`: creates a one-off container of the service (labels oneoff=True and a slug, as Compose),
 * attaches to it unless detached, starts it, and resolves with its exit code (0 when detached).
 */
export async function runOneOff(
  engine: Engine,
  { project, source }: LoadedProject,
  version: string,
  options: RunOptions,
  io: StdStreams,
): Promise<{ container: string; exitCode: number }> {
  const service = project.services[options.service];
  if (!service)
    throw new TsComposeError(`no such service: ${options.service}`, {
      code: 'compose.unknown-service',
      exitCode: 15,
    });
  const slug = randomBytes(32).toString('hex');
  const name = options.name ?? `${project.name}-${options.service}-run-${slug.slice(0, 12)}`;
  const oneOffProject = {
    ...project,
    services: { ...project.services, [options.service]: oneOffService(service, options) },
  };
  const image = await engine.inspectImage(serviceImage(project, options.service));
  const plan = containerPlan(
    {
      project: oneOffProject,
      labels: projectLabels(source, version),
      apiVersion: await engine.apiVersion(),
      containerOf: (s) => containerName(project, s, 1),
      hash: serviceHash,
      environment: source.environment,
    },
    { service: options.service, number: 1, name, imageId: image?.id, oneoff: true },
  );
  plan.spec.Labels = { ...plan.spec.Labels, [Label.slug]: slug };
  if (!options.detach) {
    plan.spec.AttachStdin = options.interactive;
    plan.spec.OpenStdin = options.interactive;
    plan.spec.StdinOnce = options.interactive;
  }
  const id = await engine.createContainer(plan.spec);
  for (const { network, endpoint } of plan.connect) await engine.connectNetwork(network, id, endpoint);
  // secrets and configs that are not files, copied in before the start as `up` does
  if (plan.inject)
    await injectFiles(engine, id, plan.inject, source.environment).catch(async (error: unknown) => {
      if (options.remove)
        await engine.removeContainer(id, { force: true, volumes: true }).catch(() => undefined);
      throw error;
    });
  if (options.detach) {
    await engine.startContainer(id);
    return { container: name, exitCode: 0 };
  }
  try {
    const attached = await engine.attachContainer(id, {
      stdin: options.interactive ? io.stdin : undefined,
      stdout: io.stdout,
      stderr: io.stderr,
      tty: options.tty,
      signal: options.signal,
    });
    const exited = engine.waitContainer(id, { condition: 'next-exit', signal: options.signal });
    await engine.startContainer(id);
    if (options.tty && io.size)
      await engine.resizeContainer(id, io.size.rows, io.size.columns).catch(() => undefined);
    const exitCode = await exited;
    await attached.done;
    return { container: name, exitCode };
  } finally {
    if (options.remove)
      await engine.removeContainer(id, { force: true, volumes: true }).catch(() => undefined);
  }
}
