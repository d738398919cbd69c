import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from '../core/clock.js';
import { formatLocation, InterruptedError, isTsComposeError } from '../core/errors.js';
import type { ProgressEvent, ProgressListener } from '../core/events.js';
import type { Engine } from '../engine/engine.js';
import { planBuilds } from '../build/build-services.js';
import { isOneOff, Label } from '../reconcile/labels.js';
import { serviceImage } from '../reconcile/names.js';
import { selectedServices, serviceGraph } from '../reconcile/plan.js';
import type { Plan } from '../reconcile/operations.js';
import type { WatchAction } from '../watch/actions.js';
import type { FileChange } from '../watch/changes.js';
import type { WatchListener } from '../watch/events.js';
import { WatchExecutor, type ContainerRef, type WatchRuntime } from '../watch/execute.js';
import { initialSyncCopies } from '../watch/initial-sync.js';
import { WatchLoop, type WatchScope } from '../watch/loop.js';
import { readBuildIgnores, watchTriggers, type BuildIgnore, type WatchSetup } from '../watch/triggers.js';
import type { FileWatcherFactory } from '../watch/watcher.js';
import { build } from './build.js';
import { ComposeService, type LoadedProject, type UpResult } from './compose-service.js';

/** `tscompose watch` and `up --watch`. */
export interface WatchOptions {
  /** Services named on the command line (default: all). */
  services?: string[];
  /** `--no-up`: watch what runs, build and start nothing first. */
  noUp?: boolean;
  /** `--build-context`: services with `build:` and no `develop` section rebuild when their context changes. */
  buildContext?: boolean;
  /** `--resync`: at start, sync every sync rule's files that differ from the containers' (not only initial_sync ones). */
  resync?: boolean;
  /** Quiet period of a batch, in ms (default 100). */
  delayMs?: number;
  /** `--quiet`: hide build output. */
  quiet?: boolean;
  /** `--prune`: remove the previous image after a rebuild when nothing uses or names it. */
  prune?: boolean;
}

export interface WatchDeps {
  engine: Engine;
  /** Progress of the initial `up` (and of re-plans' warnings). */
  progress: ProgressListener;
  /** The watch's own lines: one per action. */
  report: WatchListener;
  /** Loads the project again from its files, after an edit of a compose file or an env file. */
  reload: () => Promise<LoadedProject>;
  /** Ends the watch (Ctrl-C). */
  signal: AbortSignal;
  /** tscompose's version, written to com.docker.compose.version and build labels. */
  version: string;
  clock?: Clock;
  parallel?: number;
  pathExists?: (path: string) => boolean;
  /** A file's text, or undefined when it does not exist (ignore files). */
  readFile?: (path: string) => Promise<string | undefined>;
  watcherFactory?: FileWatcherFactory;
  /** Called after the initial `up`, before the watch's own lines (the CLI ends its progress display). */
  afterUp?: () => Promise<void>;
  /** Called once the watch listens for changes, with the loop (tests flush and drain it). */
  onReady?: (loop: WatchLoop, executor: WatchExecutor) => void;
}

const readIfExists = (path: string) => readFile(path, 'utf8').catch(() => undefined);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What a plan did, in a few words: `web recreated, app restarted`. */
function describePlans(plans: readonly Plan[]): string {
  const verbs = new Map<string, string>();
  const verbOf: Partial<Record<Plan['operations'][number]['kind'], string>> = {
    'recreate-container': 'recreated',
    'create-container': 'created',
    'restart-container': 'restarted',
    'remove-container': 'removed',
    'start-container': 'started',
  };
  for (const plan of plans)
    for (const op of plan.operations) {
      const verb = verbOf[op.kind];
      if (verb && 'container' in op && !verbs.has(op.container.service))
        verbs.set(op.container.service, verb);
    }
  return [...verbs].map(([service, verb]) => `${service} ${verb}`).join(', ');
}

/**
 * A watch session: converge the project once (unless --no-up), then turn file changes into actions
 * until the signal fires. The project's own files are watched too: an edit re-plans and converges
 * only what changed; a project that no longer loads is reported and the old one keeps running.
 */
class WatchSession {
  private loaded: LoadedProject;
  private setup!: WatchSetup;
  private ignores = new Map<string, BuildIgnore>();
  private readonly clock: Clock;
  private readonly read: (path: string) => Promise<string | undefined>;
  /** Engine calls of rebuilds and re-plans report here: warnings and failures, not every step. */
  private readonly quiet: ComposeService;
  private readonly executor: WatchExecutor;

  constructor(
    loaded: LoadedProject,
    private readonly options: WatchOptions,
    private readonly deps: WatchDeps,
  ) {
    this.loaded = loaded;
    this.clock = deps.clock ?? systemClock;
    this.read = deps.readFile ?? readIfExists;
    this.quiet = this.composeService((event) => {
      if (event.type === 'warning') deps.report({ type: 'warning', message: event.message });
    });
    this.executor = new WatchExecutor({
      runtime: this.runtime(),
      report: deps.report,
      clock: this.clock,
      signal: deps.signal,
    });
  }

  private composeService(progress: ProgressListener): ComposeService {
    const { engine, signal, parallel, pathExists, version } = this.deps;
    return new ComposeService({
      engine,
      progress,
      signal,
      clock: this.clock,
      version,
      ...(parallel !== undefined ? { parallel } : {}),
      ...(pathExists ? { pathExists } : {}),
    });
  }

  /** Build output as watch output (hidden with --quiet); warnings always. */
  private buildProgress = (event: ProgressEvent) => {
    if (event.type === 'output' && !this.options.quiet)
      this.deps.report({ type: 'output', service: event.id, stream: event.stream, line: event.line });
    else if (event.type === 'warning') this.deps.report({ type: 'warning', message: event.message });
  };

  private async makeSetup(loaded: LoadedProject) {
    const triggerOptions = {
      ...(this.options.services?.length ? { services: this.options.services } : {}),
      ...(this.options.buildContext ? { buildContext: true } : {}),
    };
    const ignores = await readBuildIgnores(loaded.project, triggerOptions, this.read);
    return { ignores, setup: watchTriggers(loaded.project, triggerOptions, ignores) };
  }

  private scope(): WatchScope {
    return {
      triggers: this.setup.triggers,
      projectFiles: [...this.loaded.source.configFiles, ...this.loaded.source.envFiles],
      ignoreFiles: [...new Set([...this.ignores.values()].map((i) => i.file))],
    };
  }

  /**
   * Builds the images that are missing or older than their sources (by digest), then converges the
   * selected services and what they need, as `up` does.
   */
  private async converge(
    loaded: LoadedProject,
    compose: ComposeService,
    progress: ProgressListener,
  ): Promise<UpResult> {
    const { project, source } = loaded;
    const { order: services } = selectedServices(project, this.options.services, false);
    const settings = { environment: source.environment, version: this.deps.version };
    const stale = await planBuilds(project, services, 'changed', settings, this.deps.engine);
    if (stale.size)
      await build(
        project,
        { services: [...stale.keys()], ...settings },
        {
          engine: this.deps.engine,
          progress,
          signal: this.deps.signal,
          clock: this.clock,
        },
      );
    return compose.up(loaded, this.options.services?.length ? { services: this.options.services } : {});
  }

  async run(): Promise<void> {
    ({ ignores: this.ignores, setup: this.setup } = await this.makeSetup(this.loaded));
    for (const warning of this.setup.warnings) this.deps.report({ type: 'warning', message: warning });
    if (!this.options.noUp)
      await this.converge(this.loaded, this.composeService(this.deps.progress), this.deps.progress);
    await this.deps.afterUp?.();

    const loop = await WatchLoop.start({
      ...this.scope(),
      clock: this.clock,
      ...(this.options.delayMs !== undefined ? { quietMs: this.options.delayMs } : {}),
      onActions: (actions) => actions.forEach((a) => this.executor.submit(a)),
      onProjectFiles: (changes) => this.projectFilesChanged(changes, loop),
      onError: (error) => this.deps.report({ type: 'warning', message: `file watcher: ${error.message}` }),
      ...(this.deps.watcherFactory ? { watcherFactory: this.deps.watcherFactory } : {}),
    });
    try {
      await this.initialSync();
      this.deps.report({
        type: 'watching',
        services: this.setup.services,
        paths: loop.roots(),
        quietMs: this.options.delayMs ?? 100,
      });
      this.deps.onReady?.(loop, this.executor);
      await new Promise<void>((resolve) => {
        if (this.deps.signal.aborted) return resolve();
        this.deps.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await loop.close();
      await this.executor.idle();
    }
  }

  /** initial_sync rules (every sync rule with --resync): what differs by content is synced now. */
  private async initialSync() {
    const byService = new Map<string, WatchAction & { kind: 'sync' }>();
    for (const trigger of this.setup.triggers) {
      if (!trigger.target || !(trigger.initialSync || this.options.resync)) continue;
      if (trigger.action !== 'sync' && trigger.action !== 'sync+restart' && trigger.action !== 'sync+exec')
        continue;
      const containers = await this.containers(trigger.service);
      const copies = new Map<string, string>();
      for (const c of containers)
        for (const m of await initialSyncCopies(this.deps.engine, trigger, c.id, this.deps.signal))
          copies.set(m.containerPath, m.hostPath);
      if (copies.size === 0) continue;
      const action = byService.get(trigger.service) ?? {
        kind: 'sync' as const,
        service: trigger.service,
        files: [],
        copy: [],
        remove: [],
        restart: false,
        exec: [],
        initial: true,
      };
      for (const [containerPath, hostPath] of copies) {
        action.copy.push({ hostPath, containerPath });
        action.files.push(hostPath);
      }
      if (trigger.action === 'sync+restart') action.restart = true;
      if (trigger.action === 'sync+exec' && trigger.exec) action.exec.push(trigger.exec);
      byService.set(trigger.service, action);
    }
    for (const action of byService.values()) {
      action.files = [...new Set(action.files)].sort();
      await this.executor.run(action);
    }
  }

  /** Running containers by service, remembered until a rebuild, a re-plan or a failed sync. */
  private readonly known = new Map<string, Promise<ContainerRef[]>>();

  private containers(service: string): Promise<ContainerRef[]> {
    let known = this.known.get(service);
    if (!known) {
      known = this.listContainers(service);
      // an empty answer is not remembered: the service may be started later
      known.then(
        (list) => list.length === 0 && this.known.delete(service),
        () => this.known.delete(service),
      );
      this.known.set(service, known);
    }
    return known;
  }

  private async listContainers(service: string): Promise<ContainerRef[]> {
    const list = await this.deps.engine.listContainers({
      label: [`${Label.project}=${this.loaded.project.name}`, `${Label.service}=${service}`],
    });
    return list
      .filter((c) => !isOneOff(c.labels) && c.state === 'running')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ id: c.id, name: c.name }));
  }

  private runtime(): WatchRuntime {
    return {
      engine: this.deps.engine,
      containers: (service) => this.containers(service),
      forget: (service) => this.known.delete(service),
      restart: async (service) => {
        await this.quiet.restart(this.loaded.project.name, { services: [service] });
      },
      rebuild: (service, signal) => this.rebuild(service, signal),
    };
  }

  /**
   * Builds the service's image, then converges that service alone and the services that depend on
   * it: the planner recreates it (its image changed), recreates those that share its namespaces and
   * restarts those with `depends_on: restart: true`. A failed build throws before anything changes.
   */
  private async rebuild(service: string, signal: AbortSignal): Promise<string> {
    const loaded = this.loaded;
    const { project, source } = loaded;
    const image = serviceImage(project, service);
    const before = await this.deps.engine.inspectImage(image);
    await build(
      project,
      { services: [service], environment: source.environment, version: this.deps.version },
      { engine: this.deps.engine, progress: this.buildProgress, signal, clock: this.clock },
    );
    const after = await this.deps.engine.inspectImage(image);
    if (before && after && before.id === after.id) return 'image unchanged';
    const dependents = serviceGraph(project)
      .dependentsOf(service)
      .filter((s) => project.services[s]);
    // the image was just built: no other build is looked for (no context is read again)
    const result = await this.quiet
      .up(loaded, { services: [service, ...dependents], noDeps: true, noBuild: true })
      .finally(() => this.known.clear());
    if (this.options.prune && before && after && before.id !== after.id)
      await this.deps.engine.removeImage(before.id).catch(() => undefined);
    return ['image rebuilt', describePlans(result.plans)].filter(Boolean).join(', ');
  }

  /** A compose file, an env file or an ignore file changed. */
  private async projectFilesChanged(changes: FileChange[], loop: WatchLoop): Promise<void> {
    const started = this.clock.now();
    const files = changes.map((c) => c.path);
    const own = new Set([...this.loaded.source.configFiles, ...this.loaded.source.envFiles]);
    const projectEdited = files.some((f) => own.has(f));
    try {
      const next = projectEdited ? await this.deps.reload() : this.loaded;
      const { ignores, setup } = await this.makeSetup(next);
      let detail = 'watch rules updated';
      if (projectEdited) {
        const result = await this.converge(next, this.quiet, this.buildProgress).finally(() =>
          this.known.clear(),
        );
        detail = describePlans(result.plans) || 'nothing to change';
      }
      this.loaded = next;
      this.ignores = ignores;
      this.setup = setup;
      await loop.update(this.scope());
      for (const warning of setup.warnings) this.deps.report({ type: 'warning', message: warning });
      this.deps.report({
        type: 'action',
        service: this.loaded.project.name,
        action: 'reload',
        files,
        ok: true,
        durationMs: this.clock.now() - started,
        detail,
      });
    } catch (error) {
      if (error instanceof InterruptedError || this.deps.signal.aborted) return;
      this.deps.report({
        type: 'action',
        service: this.loaded.project.name,
        action: 'reload',
        files,
        ok: false,
        durationMs: this.clock.now() - started,
        detail:
          isTsComposeError(error) && error.location
            ? `${formatLocation(error.location)}: ${message(error)}`
            : message(error),
        kept: 'the services keep running as they were',
      });
    }
  }
}

/**
 * `tscompose watch`: converge the project (unless --no-up), then sync, restart and rebuild on file
 * changes until the signal fires. Errors before the watch starts (no rule to watch, a bad rule, a
 * failed first `up`) are thrown; after that, failures are reported and the watch goes on.
 */
export async function watchProject(
  loaded: LoadedProject,
  options: WatchOptions,
  deps: WatchDeps,
): Promise<void> {
  await new WatchSession(loaded, options, deps).run();
}
