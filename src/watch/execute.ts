import { Readable, Writable } from 'node:stream';
import type { Clock } from '../core/clock.js';
import { InterruptedError, isEngineGone, isTsComposeError } from '../core/errors.js';
import type { ServiceHook } from '../compose/model.js';
import type { Engine } from '../engine/engine.js';
import { actionName, mergeActions, type WatchAction } from './actions.js';
import { isRemovalRefusal, removalArchive, syncArchive } from './archive.js';
import type { WatchListener } from './events.js';

/** A running container of a service. */
export interface ContainerRef {
  id: string;
  name: string;
}

/** What the executor needs of the world; the app layer provides it. */
export interface WatchRuntime {
  engine: Pick<Engine, 'putArchive' | 'exec' | 'statPath'>;
  /** The service's running containers (may be remembered between actions). */
  containers(service: string): Promise<ContainerRef[]>;
  /** Forgets the remembered containers of a service, after one of them turned out to be gone. */
  forget(service: string): void;
  /** Restarts the service's containers (each with its stop grace period). */
  restart(service: string, signal: AbortSignal): Promise<void>;
  /**
   * Builds the service's image and recreates its containers alone (and restarts the dependents that
   * ask for it). Throws when the build fails: the old container keeps running. Resolves with a detail
   * for the report (`image built, 1 container recreated`).
   */
  rebuild(service: string, signal: AbortSignal): Promise<string | undefined>;
}

export interface ExecutorOptions {
  runtime: WatchRuntime;
  report: WatchListener;
  clock: Clock;
  signal: AbortSignal;
  /** Above this many removals, one `rm -rf` exec is tried before one archive per path (default 8). */
  execRemovalThreshold?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A Writable that hands complete lines to `onLine`. */
function lineWriter(onLine: (line: string) => void): Writable & { flushRest(): void } {
  let rest = '';
  const writer = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) onLine(line.replace(/\r$/, ''));
      callback();
    },
  });
  return Object.assign(writer, {
    flushRest() {
      if (rest) onLine(rest);
      rest = '';
    },
  });
}

class ActionFailure extends Error {
  constructor(
    message: string,
    readonly kept?: string,
  ) {
    super(message);
  }
}

/**
 * Runs actions, one lane per service: a service's actions run one after another, services in
 * parallel. An action that arrives while its service is busy waits, merged with any other waiting
 * one (mergeActions), so a slow rebuild never queues a backlog. Every action ends in one report line;
 * a failure is reported and the watch goes on.
 */
export class WatchExecutor {
  private readonly lanes = new Map<string, { running: Promise<void>; waiting?: WatchAction }>();
  /** Whether the engine removes paths with a removal entry (see archive.ts): learnt on first use. */
  private archiveRemoval: 'unknown' | 'works' | 'fails' = 'unknown';
  /** Per service: whether `rm` runs in its containers. */
  private readonly rm = new Map<string, 'present' | 'missing'>();
  private readonly warned = new Set<string>();
  /** Per service: an action that failed while the engine was gone, owed with its next action. */
  private readonly owed = new Map<string, WatchAction>();

  constructor(private readonly options: ExecutorOptions) {}

  submit(action: WatchAction): void {
    if (this.options.signal.aborted) return;
    const owed = this.owed.get(action.service);
    if (owed) {
      this.owed.delete(action.service);
      action = mergeActions(owed, action);
    }
    const lane = this.lanes.get(action.service);
    if (lane) {
      lane.waiting = lane.waiting ? mergeActions(lane.waiting, action) : action;
      return;
    }
    const entry: { running: Promise<void>; waiting?: WatchAction } = { running: Promise.resolve() };
    this.lanes.set(action.service, entry);
    entry.running = this.drain(action, entry);
  }

  /** Resolves once every lane is empty. */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all([...this.lanes.values()].map((l) => l.running));
  }

  private async drain(first: WatchAction, lane: { waiting?: WatchAction }): Promise<void> {
    let next: WatchAction | undefined = first;
    while (next && !this.options.signal.aborted) {
      await this.run(next);
      next = lane.waiting;
      lane.waiting = undefined;
    }
    this.lanes.delete(first.service);
  }

  /** Runs one action and reports it; never throws. */
  async run(action: WatchAction): Promise<void> {
    const { clock, report, signal } = this.options;
    const started = clock.now();
    const base = {
      type: 'action' as const,
      service: action.service,
      action: actionName(action),
      files: action.files,
    };
    try {
      const detail = await this.perform(action);
      report({ ...base, ok: true, durationMs: clock.now() - started, ...(detail ? { detail } : {}) });
    } catch (error) {
      if (signal.aborted || error instanceof InterruptedError) return;
      // the engine is not there: the files are not lost, they go with the service's next change
      const gone = isEngineGone(error);
      if (gone) {
        const owed = this.owed.get(action.service);
        this.owed.set(action.service, owed ? mergeActions(owed, action) : action);
      }
      const kept = gone
        ? 'these files are synced with the next change, once the engine is back'
        : error instanceof ActionFailure
          ? error.kept
          : undefined;
      report({
        ...base,
        ok: false,
        durationMs: clock.now() - started,
        detail: message(error),
        ...(kept ? { kept } : {}),
      });
    }
  }

  private async perform(action: WatchAction): Promise<string | undefined> {
    const { runtime, signal } = this.options;
    switch (action.kind) {
      case 'rebuild':
        try {
          return await runtime.rebuild(action.service, signal);
        } catch (error) {
          if (error instanceof InterruptedError || signal.aborted) throw error;
          throw new ActionFailure(
            isTsComposeError(error) && error.details.length
              ? `${error.message}\n${error.details.map((d) => `  ${d}`).join('\n')}`
              : message(error),
            'the old container keeps running',
          );
        }
      case 'restart':
        await runtime.restart(action.service, signal);
        return undefined;
      case 'sync': {
        let containers = await runtime.containers(action.service);
        try {
          await Promise.all(containers.map((c) => this.sync(action, c)));
        } catch (error) {
          // a container recreated or stopped behind the watch's back: look again, once
          if (!isTsComposeError(error) || !/^engine\.(not-found|conflict)$/.test(error.code)) throw error;
          runtime.forget(action.service);
          containers = await runtime.containers(action.service);
          await Promise.all(containers.map((c) => this.sync(action, c)));
        }
        if (containers.length === 0)
          throw new ActionFailure(`service "${action.service}" has no running container to sync into`);
        if (action.restart) await runtime.restart(action.service, signal);
        for (const hook of action.exec)
          await Promise.all(containers.map((c) => this.execHook(action.service, c, hook)));
        const parts = [];
        if (action.copy.length) parts.push(`${action.copy.length} copied`);
        if (action.remove.length) parts.push(`${action.remove.length} removed`);
        if (containers.length > 1) parts.push(`${containers.length} containers`);
        return parts.join(', ') || undefined;
      }
      default: {
        const never: never = action;
        return never;
      }
    }
  }

  private async sync(action: Extract<WatchAction, { kind: 'sync' }>, container: ContainerRef) {
    const { engine } = this.options.runtime;
    if (action.remove.length) await this.removePaths(action.service, container, action.remove);
    if (action.copy.length) await engine.putArchive(container.id, '/', syncArchive(action.copy));
  }

  private async execHook(service: string, container: ContainerRef, hook: ServiceHook) {
    const { engine } = this.options.runtime;
    const emit = (stream: 'stdout' | 'stderr') =>
      lineWriter((line) => this.options.report({ type: 'output', service, stream, line }));
    const stdout = emit('stdout');
    const stderr = emit('stderr');
    const env = Object.entries(hook.environment ?? {})
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([k, v]) => `${k}=${v}`);
    const code = await engine.exec(container.id, {
      cmd: hook.command,
      tty: false,
      stdout,
      stderr,
      signal: this.options.signal,
      ...(env.length ? { env } : {}),
      ...(hook.user ? { user: hook.user } : {}),
      ...(hook.working_dir ? { workingDir: hook.working_dir } : {}),
      ...(hook.privileged ? { privileged: true } : {}),
    });
    stdout.flushRest();
    stderr.flushRest();
    if (code !== 0)
      throw new ActionFailure(`${JSON.stringify(hook.command)} exited with ${code} in ${container.name}`);
  }

  /**
   * Removes container paths without needing anything in the image: one removal archive per path.
   * Many paths at once go through one `rm -rf` when the image has rm (an archive costs one unpack
   * per path). When neither works, the watch says so once per service and goes on.
   */
  private async removePaths(service: string, container: ContainerRef, paths: readonly string[]) {
    const threshold = this.options.execRemovalThreshold ?? 8;
    const tryRm =
      this.rm.get(service) !== 'missing' && (paths.length > threshold || this.archiveRemoval === 'fails');
    if (tryRm && (await this.removeWithRm(service, container, paths))) return;
    if (this.archiveRemoval !== 'fails') {
      for (const path of paths) if (!(await this.removeWithArchive(container, path))) break;
      if (this.archiveRemoval === 'works') return;
    }
    if (this.rm.get(service) !== 'missing' && (await this.removeWithRm(service, container, paths))) return;
    const key = `removal:${service}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.report({
      type: 'warning',
      service,
      message: `deleted files stay in the containers of service "${service}": this engine does not remove paths through the archive API and the image has no rm`,
    });
  }

  private async removeWithRm(service: string, container: ContainerRef, paths: readonly string[]) {
    const sink = lineWriter(() => {});
    const code = await this.options.runtime.engine
      .exec(container.id, { cmd: ['rm', '-rf', '--', ...paths], tty: false, stdout: sink, stderr: sink })
      .catch(() => -1);
    this.rm.set(service, code === 0 ? 'present' : 'missing');
    return code === 0;
  }

  /** One removal archive; the first one is checked (statPath) to learn whether the engine removes. */
  private async removeWithArchive(container: ContainerRef, path: string): Promise<boolean> {
    const { engine } = this.options.runtime;
    try {
      await engine.putArchive(container.id, '/', Readable.from([await removalArchive(path)]));
    } catch (error) {
      if (!isRemovalRefusal(message(error))) {
        if (this.archiveRemoval === 'unknown') this.archiveRemoval = 'fails';
        if (this.archiveRemoval === 'fails') return false;
        throw error;
      }
    }
    if (this.archiveRemoval === 'unknown')
      this.archiveRemoval = (await engine.statPath(container.id, path)) ? 'fails' : 'works';
    return this.archiveRemoval === 'works';
  }
}
