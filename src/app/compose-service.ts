import { systemClock, type Clock } from '../core/clock.js';
import { withTimeout } from '../core/abort.js';
import { TsComposeError } from '../core/errors.js';
import type { ProgressListener } from '../core/events.js';
import type { Project, ProjectSource } from '../compose/model.js';
import type { ContainerSummary, Engine } from '../engine/engine.js';
import { executePlan, type BuildImageFn } from '../reconcile/execute.js';
import { createServiceImageBuilder, inspectBuildStates, sourceStatuses } from '../build/build-services.js';
import { decideBuilds, describeReason, sourceStatus, type BuildPolicy } from '../build/needs-build.js';
import { isOneOff, Label, projectFilter, type ProjectLabels } from '../reconcile/labels.js';
import { observe, observeByName, type ObservedState } from '../reconcile/observe.js';
import { changesSomething, type Plan } from '../reconcile/operations.js';
import {
  planImages,
  planUp,
  selectedServices,
  type ImagePlanOptions,
  type UpPlanOptions,
} from '../reconcile/plan.js';
import { renderPlan } from '../reconcile/render.js';
import { crashLoopRestarts } from '../reconcile/wait.js';
import { planDown, type DownPlanOptions } from '../reconcile/teardown.js';
import { serviceHash } from './service-hash.js';
import { planEach, planRestart, planStart, type LifecycleOptions } from '../reconcile/lifecycle.js';

/** What the use cases need of the world, injected by the CLI (or by tests). */
export interface ComposeDeps {
  engine: Engine;
  progress: ProgressListener;
  signal?: AbortSignal;
  clock?: Clock;
  /** At most this many engine operations at once (`--parallel`, COMPOSE_PARALLEL_LIMIT); default no limit. */
  parallel?: number;
  /** Whether a host path exists (bind volumes are checked before anything is created). */
  pathExists?: (path: string) => boolean;
  /** tscompose's version, written to com.docker.compose.version. */
  version: string;
  /** Takes the project's turn among concurrent runs (up, down); resolves with its release. */
  lock?: (project: string) => Promise<() => void>;
}

export interface LoadedProject {
  project: Project;
  source: ProjectSource;
}

export type UpOptions = Omit<UpPlanOptions, 'labels' | 'hash' | 'environment'> &
  Omit<ImagePlanOptions, 'builds'> & {
    /** Print the plan, change nothing. */
    dryRun?: boolean;
    /** `--wait-timeout`: seconds the whole run may take before waits give up. */
    waitTimeoutSeconds?: number;
    /** `--build=changed`: build missing images and those whose sources changed since they were built. */
    buildChanged?: boolean;
  };

/** The one-line notice of `up` and `ps` for an image older than its sources. */
export const SOURCES_CHANGED = 'sources changed since its image was built; run up --build';

export interface UpResult {
  /** The plans that ran (or would run, with --dry-run): images first, then containers. */
  plans: Plan[];
  /** renderPlan of each, for --dry-run. */
  text: string;
  changed: boolean;
}

export type DownOptions = Omit<DownPlanOptions, 'project'> & { dryRun?: boolean };

export interface PsOptions {
  all?: boolean;
  services?: string[];
  /** `--status running|exited|...` (repeatable). */
  status?: string[];
}

/** A container that keeps restarting, as `ps` reports it below its table. */
export interface CrashLoop {
  container: string;
  service: string;
  restartCount: number;
  exitCode: number;
  /** Its last few log lines, oldest first. */
  lastLines: string[];
}

/** Up for less than ten seconds, by the engine's status text (`Up 3 seconds`). */
const upBriefly = (status: string) => /^Up (Less than a second|\d seconds?)\b/.test(status);

export function projectLabels(source: ProjectSource, version: string): ProjectLabels {
  return {
    workingDir: source.workingDir,
    configFiles: source.configFiles,
    envFiles: source.envFiles,
    version,
  };
}

/** One line for the end of a run: `2 created, 1 recreated, 3 started, 1 unchanged`. */
/** How the waits ended, as the summary says it: `1 healthy, 2 running`. */
function finalStates(waited: ReadonlyMap<string, string>): string[] {
  const words: Record<string, string> = { Healthy: 'healthy', Running: 'running', Exited: 'completed' };
  const counts = new Map<string, number>();
  for (const text of waited.values()) {
    const word = words[text] ?? text.toLowerCase();
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const order = ['healthy', 'running', 'completed'];
  const rank = (word: string) => (order.includes(word) ? order.indexOf(word) : order.length);
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([word, n]) => `${n} ${word}`);
}

/**
 * The summary line: what was done to how many, then, when `up` waited, the state the waits ended
 * in (`2 created, 2 started; 1 healthy, 1 running`).
 */
export function summarize(plans: Plan[], waited: ReadonlyMap<string, string> = new Map()): string {
  const words: [Plan['operations'][number]['kind'], string][] = [
    ['build-image', 'built'],
    ['pull-image', 'pulled'],
    ['create-container', 'created'],
    ['recreate-container', 'recreated'],
    ['start-container', 'started'],
    ['restart-container', 'restarted'],
    ['stop-container', 'stopped'],
    ['remove-container', 'removed'],
    ['keep-container', 'unchanged'],
  ];
  const ops = plans.flatMap((p) => p.operations);
  const parts = words
    .map(([kind, word]) => [ops.filter((op) => op.kind === kind).length, word] as const)
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  const containers = ops.some((op) => op.kind !== 'keep-container') ? parts : ['nothing to do', ...parts];
  const done = containers.join(', ') || 'nothing to do';
  const states = finalStates(waited);
  return states.length ? `${done}; ${states.join(', ')}` : done;
}

/** The use cases behind the commands: observe, plan, execute, with progress as events. */
export class ComposeService {
  private readonly clock: Clock;

  constructor(private readonly deps: ComposeDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  private async run(
    plan: Plan,
    signal?: AbortSignal,
    buildImage?: BuildImageFn,
    environment?: Readonly<Record<string, string>>,
  ) {
    for (const warning of plan.warnings) this.deps.progress({ type: 'warning', message: warning });
    return executePlan(plan, {
      engine: this.deps.engine,
      progress: this.deps.progress,
      signal: signal ?? this.deps.signal,
      concurrency: this.deps.parallel,
      clock: this.clock,
      buildImage,
      environment,
    });
  }

  /** `up` and `create`: build or pull what is missing, then converge containers, networks, volumes. */
  async up(loaded: LoadedProject, options: UpOptions): Promise<UpResult> {
    const release = options.dryRun ? undefined : await this.deps.lock?.(loaded.project.name);
    try {
      return await this.converge(loaded, options);
    } finally {
      release?.();
    }
  }

  private async converge({ project, source }: LoadedProject, options: UpOptions): Promise<UpResult> {
    const started = this.clock.now();
    const { engine } = this.deps;
    const observed = await observe(engine, project, { pathExists: this.deps.pathExists });
    // which images to build is the build room's decision (it knows the sources); pulls are ours
    const { order } = selectedServices(project, options.services, options.noDeps);
    const buildable = order.filter((s) => project.services[s]?.build);
    const policy: BuildPolicy = options.noBuild
      ? 'never'
      : options.buildChanged
        ? 'changed'
        : options.build
          ? 'always'
          : 'missing';
    const settings = { environment: source.environment, version: this.deps.version };
    // the sources' digests are read on every up: to rebuild what changed, or to say it did
    const states = buildable.length
      ? await inspectBuildStates(
          project,
          buildable,
          { ...settings, withDigests: policy !== 'always' },
          engine,
        )
      : [];
    const reasons = decideBuilds(states, policy);
    for (const state of states)
      if (!reasons.has(state.service) && sourceStatus(state) === 'changed')
        this.deps.progress({ type: 'info', id: state.service, message: SOURCES_CHANGED });
    const builds = new Map([...reasons].map(([s, r]) => [s, describeReason(r)]));
    const images = planImages(project, observed, { ...options, builds });
    const plans: Plan[] = [];
    if (images.operations.length) {
      plans.push(images);
      if (!options.dryRun) {
        const builder = createServiceImageBuilder(
          project,
          [...reasons.keys()],
          { ...settings, reasons, clock: this.clock, concurrency: this.deps.parallel },
          engine,
          this.deps.progress,
        );
        await this.run(images, undefined, builder);
        await this.refreshImages(observed, images);
      }
    }
    const plan = planUp(project, observed, {
      ...options,
      labels: projectLabels(source, this.deps.version),
      hash: serviceHash,
      environment: source.environment,
    });
    plans.push(plan);
    const text = plans.map(renderPlan).join('');
    const changed = plans.some((p) => p.operations.some(changesSomething));
    if (options.dryRun) return { plans, text, changed };

    const { waited } = await withTimeout(
      options.waitTimeoutSeconds,
      this.deps.signal,
      () =>
        new TsComposeError(`up did not finish within the wait timeout of ${options.waitTimeoutSeconds}s`, {
          code: 'up.wait-timeout',
          hint: 'raise --wait-timeout, or see `tscompose ps` and `tscompose logs` for what is slow',
        }),
      (signal) => this.run(plan, signal, undefined, source.environment),
    );
    this.deps.progress({
      type: 'summary',
      text: summarize(plans, waited),
      durationMs: this.clock.now() - started,
      ok: true,
    });
    return { plans, text, changed };
  }

  private async refreshImages(observed: ObservedState, images: Plan) {
    for (const op of images.operations)
      if (op.kind === 'build-image' || op.kind === 'pull-image')
        observed.images[op.image] = (await this.deps.engine.inspectImage(op.image)) ?? null;
  }

  /** `down`: from labels alone, or with the project when there is a compose file. */
  async down(
    projectName: string,
    loaded: LoadedProject | undefined,
    options: DownOptions,
  ): Promise<UpResult> {
    const release = options.dryRun ? undefined : await this.deps.lock?.(projectName);
    try {
      return await this.teardown(projectName, loaded, options);
    } finally {
      release?.();
    }
  }

  private async teardown(
    projectName: string,
    loaded: LoadedProject | undefined,
    options: DownOptions,
  ): Promise<UpResult> {
    const started = this.clock.now();
    const observed = await observeByName(this.deps.engine, projectName);
    const plan = planDown(observed, { ...options, project: loaded?.project });
    const text = renderPlan(plan);
    const changed = plan.operations.some(changesSomething);
    if (options.dryRun) return { plans: [plan], text, changed };
    await this.run(plan);
    if (!changed && !options.services)
      this.deps.progress({
        type: 'warning',
        message: `No resource found to remove for project "${projectName}".`,
      });
    this.deps.progress({
      type: 'summary',
      text: summarize([plan]),
      durationMs: this.clock.now() - started,
      ok: true,
    });
    return { plans: [plan], text, changed };
  }

  /** `stop` (dependents first); `rm` removes stopped containers of the services. */
  async stop(projectName: string, loaded: LoadedProject | undefined, options: DownOptions): Promise<void> {
    const observed = await observeByName(this.deps.engine, projectName);
    await this.run(planDown(observed, { ...options, project: loaded?.project, stopOnly: true }));
  }

  /** The services among `services` that have a build section and an image older than its sources. */
  async changedSources({ project, source }: LoadedProject, services: Iterable<string>): Promise<string[]> {
    const buildable = [...new Set(services)].filter((s) => project.services[s]?.build).sort();
    if (!buildable.length) return [];
    const settings = { environment: source.environment, version: this.deps.version };
    const statuses = await sourceStatuses(project, buildable, settings, this.deps.engine);
    return buildable.filter((s) => statuses.get(s) === 'changed');
  }

  /** `ps`: the project's containers, sorted by service and number. */
  async ps(projectName: string, options: PsOptions): Promise<ContainerSummary[]> {
    const containers = await this.deps.engine.listContainers({ ...projectFilter(projectName), all: true });
    const services = options.services?.length ? new Set(options.services) : undefined;
    return containers
      .filter(
        (c) =>
          options.all ||
          options.status?.length ||
          c.state === 'running' ||
          c.state === 'restarting' ||
          c.state === 'paused',
      )
      .filter((c) => !services || services.has(c.labels[Label.service] ?? ''))
      .filter((c) => !options.status?.length || options.status.includes(c.state))
      .sort(
        (a, b) =>
          Number(isOneOff(a.labels)) - Number(isOneOff(b.labels)) ||
          (a.labels[Label.service] ?? '').localeCompare(b.labels[Label.service] ?? '') ||
          Number(a.labels[Label.containerNumber] ?? 0) - Number(b.labels[Label.containerNumber] ?? 0) ||
          a.name.localeCompare(b.name),
      );
  }

  /**
   * The containers among `containers` that keep restarting: restarting now, or back up for less
   * than ten seconds after at least `crashLoopRestarts` restarts. Only those are inspected.
   */
  async crashLoops(containers: ContainerSummary[], lines = 5): Promise<CrashLoop[]> {
    const { engine } = this.deps;
    const suspects = containers.filter(
      (c) => c.state === 'restarting' || (c.state === 'running' && upBriefly(c.status)),
    );
    const loops = await Promise.all(
      suspects.map(async (c): Promise<CrashLoop | undefined> => {
        const details = await engine.inspectContainer(c.id).catch(() => undefined);
        if (!details) return undefined;
        const looping = details.state.restarting
          ? details.restartCount > 0
          : details.restartCount >= crashLoopRestarts;
        if (!looping) return undefined;
        const lastLines: string[] = [];
        try {
          for await (const line of engine.containerLogs(c.id, { tail: lines })) lastLines.push(line.text);
        } catch {
          // the logs are a courtesy
        }
        return {
          container: c.name,
          service: c.labels[Label.service] ?? '',
          restartCount: details.restartCount,
          exitCode: details.state.exitCode,
          lastLines,
        };
      }),
    );
    return loops.filter((l): l is CrashLoop => l !== undefined);
  }

  private async lifecycle(projectName: string, plan: (observed: ObservedState) => Plan): Promise<boolean> {
    const observed = await observeByName(this.deps.engine, projectName);
    const p = plan(observed);
    if (!observed.containers.length)
      throw new TsComposeError(`no containers found for project "${projectName}"`, {
        code: 'project.empty',
        hint: 'run `tscompose up` (or `create`) first, or check the project name (-p)',
      });
    await this.run(p);
    return p.operations.length > 0;
  }

  /** `start`: stopped containers, dependencies first, waiting for their conditions. */
  start(projectName: string, options: LifecycleOptions) {
    return this.lifecycle(projectName, (o) => planStart(o, options));
  }

  restart(projectName: string, options: LifecycleOptions) {
    return this.lifecycle(projectName, (o) => planRestart(o, options));
  }

  kill(projectName: string, options: LifecycleOptions) {
    return this.lifecycle(projectName, (o) => planEach(o, 'kill-container', options));
  }

  pause(projectName: string, options: LifecycleOptions) {
    return this.lifecycle(projectName, (o) => planEach(o, 'pause-container', options));
  }

  unpause(projectName: string, options: LifecycleOptions) {
    return this.lifecycle(projectName, (o) => planEach(o, 'unpause-container', options));
  }

  /** `rm`: stopped containers of the services (with `stop`, running ones are stopped first). */
  async rm(
    projectName: string,
    options: { services?: string[]; stop?: boolean; volumes?: boolean; timeoutSeconds?: number },
  ) {
    const observed = await observeByName(this.deps.engine, projectName);
    const services = options.services?.length
      ? options.services
      : [...new Set(observed.containers.map((c) => c.labels[Label.service] ?? ''))];
    if (!options.stop)
      observed.containers = observed.containers.filter(
        (c) => c.state !== 'running' && c.state !== 'paused' && c.state !== 'restarting',
      );
    const plan = planDown(observed, {
      services,
      volumes: options.volumes,
      timeoutSeconds: options.timeoutSeconds,
    });
    await this.run(plan);
    return plan.operations
      .filter((op) => op.kind === 'remove-container')
      .map((op) => (op.kind === 'remove-container' ? op.container.name : ''));
  }
}
