import { systemClock, type Clock } from '../core/clock.js';
import { withTimeout } from '../core/abort.js';
import { TsComposeError } from '../core/errors.js';
import type { ProgressListener } from '../core/events.js';
import type { Project } from '../compose/model.js';
import type { Engine } from '../engine/engine.js';
import type { SwarmEngine, SwarmNode, SwarmService, SwarmTask } from '../engine/swarm.js';
import { buildServices, planBuilds } from '../build/build-services.js';
import type { BuildPolicy } from '../build/needs-build.js';
import { executeDeployPlan } from '../swarm/execute.js';
import { composeImage, stackFilter } from '../swarm/names.js';
import { observeStack, type StackObserved } from '../swarm/observe.js';
import { changesSomething, type DeployPlan } from '../swarm/operations.js';
import { assertSwarmManager, planDeploy, type DeployPlanOptions } from '../swarm/plan.js';
import { renderDeployPlan } from '../swarm/render.js';
import { planUndeploy } from '../swarm/teardown.js';
import type { LoadedProject } from './compose-service.js';

/** What the stack use cases need of the world, injected by the CLI (or by tests). */
export interface StackDeps {
  engine: Engine;
  swarm: SwarmEngine;
  progress: ProgressListener;
  signal?: AbortSignal;
  clock?: Clock;
  /** At most this many engine operations at once; default no limit. */
  parallel?: number;
  /** Whether a host path exists (bind volumes are checked before anything is created). */
  pathExists?: (path: string) => boolean;
  /** Reads a secret or config file. */
  readFile: (path: string) => Promise<Uint8Array>;
  /** tscompose's version, written on built images. */
  version: string;
  /** How often waits look at the tasks (default 1 s). */
  pollMs?: number;
}

export interface DeployOptions {
  /** `--stack`: the stack's name; default the project's name. */
  stack?: string;
  /** `--build`: build every service with a build section, even when its image exists. */
  build?: boolean;
  /** `--no-build`: build nothing; a missing image is pulled by the nodes. */
  noBuild?: boolean;
  prune?: boolean;
  /** Wait until every service has converged (healthy where it has a health check). */
  wait?: boolean;
  waitTimeoutSeconds?: number;
  dryRun?: boolean;
}

export interface StackResult {
  plan: DeployPlan;
  /** renderDeployPlan of the plan, for --dry-run. */
  text: string;
  changed: boolean;
}

export interface StackTasks {
  services: SwarmService[];
  tasks: SwarmTask[];
  nodes: SwarmNode[];
}

/** Stack names are resource-name prefixes: what Swarm accepts in a service name. */
function checkStackName(stack: string) {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(stack))
    throw new TsComposeError(`"${stack}" is not a valid stack name`, {
      code: 'stack.invalid-name',
      exitCode: 2,
      hint: 'use letters, digits, "_", "." and "-", starting with a letter or digit',
    });
}

/** `deploy`, `undeploy`, `stack ps`, `stack services`: observe, plan, execute, as `up` does. */
export class StackService {
  private readonly clock: Clock;

  constructor(private readonly deps: StackDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  private observe(stack: string, project: Project | undefined): Promise<StackObserved> {
    return observeStack(this.deps.engine, this.deps.swarm, stack, project, {
      pathExists: this.deps.pathExists,
    });
  }

  private async run(plan: DeployPlan, signal?: AbortSignal) {
    for (const warning of plan.warnings) this.deps.progress({ type: 'warning', message: warning });
    await executeDeployPlan(plan, {
      engine: this.deps.engine,
      swarm: this.deps.swarm,
      progress: this.deps.progress,
      signal: signal ?? this.deps.signal,
      concurrency: this.deps.parallel,
      clock: this.clock,
      pollMs: this.deps.pollMs,
    });
  }

  /** The content of every secret and config the services mount, by compose key (external ones have none). */
  private async contents({ project, source }: LoadedProject): Promise<DeployPlanOptions['contents']> {
    const read = async (kind: 'secrets' | 'configs') => {
      const used = new Set(
        Object.values(project.services).flatMap((s) => (s[kind] ?? []).map((r) => r.source)),
      );
      const out: Record<string, Uint8Array> = {};
      for (const key of [...used].sort()) {
        const def = project[kind]?.[key];
        if (!def || def.external) continue;
        if (def.file !== undefined) {
          try {
            out[key] = await this.deps.readFile(def.file);
          } catch (error) {
            throw new TsComposeError(`cannot read ${kind.slice(0, -1)} "${key}" from ${def.file}`, {
              code: `${kind.slice(0, -1)}.unreadable`,
              exitCode: 15,
              location: { path: `${kind}.${key}.file` },
              hint:
                (error as NodeJS.ErrnoException).code === 'ENOENT'
                  ? 'create the file (make secrets does for the Inception stack)'
                  : undefined,
              cause: error,
            });
          }
        } else if (def.environment !== undefined) {
          const value = source.environment[def.environment];
          if (value === undefined)
            throw new TsComposeError(
              `${kind.slice(0, -1)} "${key}" comes from the variable ${def.environment}, which is not set`,
              {
                code: 'compose.undefined-variable',
                exitCode: 15,
                location: { path: `${kind}.${key}.environment` },
              },
            );
          out[key] = Buffer.from(value);
        } else if (def.content !== undefined) out[key] = Buffer.from(def.content);
        else
          throw new TsComposeError(`${kind.slice(0, -1)} "${key}" has no file, environment or content`, {
            code: 'compose.invalid',
            exitCode: 15,
            location: { path: `${kind}.${key}` },
          });
      }
      return out;
    };
    return { secrets: await read('secrets'), configs: await read('configs') };
  }

  /** `deploy`: build what is missing, then converge the stack's services to the compose file. */
  async deploy(loaded: LoadedProject, options: DeployOptions): Promise<StackResult> {
    const started = this.clock.now();
    const { project, source } = loaded;
    const stack = options.stack ?? project.name;
    checkStackName(stack);
    const observed = await this.observe(stack, project);
    assertSwarmManager(observed.swarm);
    const contents = await this.contents(loaded);
    const planOptions = { contents, prune: options.prune, wait: options.wait };
    // refuses at once what cannot be deployed (no swarm, missing secrets...), before any build
    planDeploy(project, observed, { ...planOptions, pendingImages: new Set(Object.keys(project.services)) });

    const buildable = Object.keys(project.services).filter((s) => project.services[s]?.build);
    const policy: BuildPolicy = options.noBuild ? 'never' : options.build ? 'always' : 'missing';
    const settings = { environment: source.environment, version: this.deps.version };
    const builds = buildable.length
      ? await planBuilds(project, buildable, policy, settings, this.deps.engine)
      : new Map();
    if (builds.size && !options.dryRun) {
      await buildServices(
        project,
        [...builds.keys()],
        { ...settings, reasons: builds, clock: this.clock, concurrency: this.deps.parallel },
        this.deps.engine,
        this.deps.progress,
        this.deps.signal,
      );
      for (const service of builds.keys()) {
        const ref = composeImage(project, service);
        observed.images[ref] = (await this.deps.swarm.imageIdentity(ref)) ?? null;
      }
    }
    const plan = planDeploy(project, observed, {
      ...planOptions,
      pendingImages: options.dryRun ? new Set(builds.keys()) : undefined,
    });
    const built =
      options.dryRun && builds.size
        ? `images to build first: ${[...builds.keys()].map((s) => composeImage(project, s)).join(', ')}\n`
        : '';
    const text = built + renderDeployPlan(plan);
    const changed = builds.size > 0 || plan.operations.some(changesSomething);
    if (options.dryRun) return { plan, text, changed };

    await withTimeout(
      options.waitTimeoutSeconds,
      this.deps.signal,
      () =>
        new TsComposeError(
          `deploy did not finish within the wait timeout of ${options.waitTimeoutSeconds}s`,
          {
            code: 'deploy.wait-timeout',
            hint: 'raise --wait-timeout, or see `tscompose stack ps` for what is slow',
          },
        ),
      (signal) => this.run(plan, signal),
    );
    const services = Object.keys(project.services).length;
    this.deps.progress({
      type: 'summary',
      text: plan.operations.some(changesSomething)
        ? `stack ${stack} deployed: ${services} service${services === 1 ? '' : 's'}`
        : `stack ${stack}: nothing to do, ${services} service${services === 1 ? '' : 's'} up to date`,
      durationMs: this.clock.now() - started,
      ok: true,
    });
    return { plan, text, changed };
  }

  /** `undeploy`: the stack's services, networks, secrets and configs; volumes stay. */
  async undeploy(stack: string, options: { dryRun?: boolean }): Promise<StackResult> {
    const started = this.clock.now();
    checkStackName(stack);
    const observed = await this.observe(stack, undefined);
    assertSwarmManager(observed.swarm);
    const plan = planUndeploy(observed);
    const text = renderDeployPlan(plan);
    const changed = plan.operations.length > 0;
    if (options.dryRun) return { plan, text, changed };
    await this.run(plan);
    if (!changed) this.deps.progress({ type: 'warning', message: `Nothing found in stack: ${stack}` });
    this.deps.progress({
      type: 'summary',
      text: changed ? `stack ${stack} removed (its volumes are kept)` : `stack ${stack}: nothing to remove`,
      durationMs: this.clock.now() - started,
      ok: true,
    });
    return { plan, text, changed };
  }

  /** The stack's services with their task counts, by name. */
  async services(stack: string): Promise<SwarmService[]> {
    await this.assertManager();
    const services = await this.deps.swarm.listServices(stackFilter(stack));
    return services.sort((a, b) => (a.spec.Name < b.spec.Name ? -1 : a.spec.Name > b.spec.Name ? 1 : 0));
  }

  /** The stack's tasks (current and past), with their services and the nodes they run on. */
  async tasks(stack: string): Promise<StackTasks> {
    const services = await this.services(stack);
    if (!services.length) return { services, tasks: [], nodes: [] };
    const [tasks, nodes] = await Promise.all([
      this.deps.swarm.listTasks({ service: services.map((s) => s.id) }),
      this.deps.swarm.listNodes(),
    ]);
    return { services, tasks, nodes };
  }

  private async assertManager() {
    assertSwarmManager(await this.deps.swarm.swarmState());
  }
}
