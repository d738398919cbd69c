import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { planActions, type WatchAction } from './actions.js';
import { Batcher } from './batcher.js';
import { settle, type EntryTypeOf, type FileChange, type ListDir, type PendingChange } from './changes.js';
import { canSkip, type WatchTrigger } from './triggers.js';
import {
  chokidarWatcher,
  entryType,
  folderNames,
  type FileWatcher,
  type FileWatcherFactory,
} from './watcher.js';

/** What the loop watches: the triggers, and the files that define the project itself. */
export interface WatchScope {
  triggers: readonly WatchTrigger[];
  /** Compose files and env files: a change re-plans the project. */
  projectFiles: readonly string[];
  /** Build contexts' ignore files: a change makes the triggers anew. */
  ignoreFiles: readonly string[];
}

export interface WatchLoopOptions extends WatchScope {
  clock: Clock;
  quietMs?: number;
  maxWaitMs?: number;
  /** The actions of one batch, at most one per service. */
  onActions: (actions: WatchAction[]) => void;
  /**
   * Some project files changed: the caller reloads what it must and calls `update` before it
   * resolves, so the batch's other changes meet the new triggers.
   */
  onProjectFiles: (changes: FileChange[]) => Promise<void>;
  onError: (error: Error) => void;
  watcherFactory?: FileWatcherFactory;
  typeOf?: EntryTypeOf;
  listDir?: ListDir;
}

/**
 * The watch pipeline: file events → batches (one per quiet period) → settled changes → project
 * reload when its own files changed → actions. Batches are handled one after another, in order.
 */
export class WatchLoop {
  private scope: WatchScope;
  private readonly batcher: Batcher;
  private readonly watcher: FileWatcher;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly options: WatchLoopOptions) {
    this.scope = {
      triggers: options.triggers,
      projectFiles: options.projectFiles,
      ignoreFiles: options.ignoreFiles,
    };
    this.batcher = new Batcher(options.clock, (batch) => this.enqueue(batch), {
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
      ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    });
    this.watcher = (options.watcherFactory ?? chokidarWatcher)({
      roots: this.roots(),
      skip: (path) => this.skip(path),
      onEvent: (event) => {
        if (!this.closed) this.batcher.push(event);
      },
      onError: options.onError,
    });
  }

  private skip(path: string): boolean {
    return canSkip(this.scope.triggers, [...this.scope.projectFiles, ...this.scope.ignoreFiles], path);
  }

  /** Starts watching; resolves once the file watcher is ready. */
  static async start(options: WatchLoopOptions): Promise<WatchLoop> {
    const loop = new WatchLoop(options);
    await loop.watcher.ready;
    return loop;
  }

  /** The paths being watched (trigger paths and project files). */
  roots(): string[] {
    return [
      ...new Set([
        ...this.scope.triggers.map((t) => t.path),
        ...this.scope.projectFiles,
        ...this.scope.ignoreFiles,
      ]),
    ].sort();
  }

  get triggers(): readonly WatchTrigger[] {
    return this.scope.triggers;
  }

  /** New triggers and project files (after a reload); new roots are watched too. */
  async update(scope: WatchScope): Promise<void> {
    this.scope = scope;
    await this.watcher.setRoots(this.roots());
  }

  /** Resolves once the batches closed so far are handled. */
  async drained(): Promise<void> {
    let current;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  /** Closes the current batch at once (tests, and shutdown). */
  flush(): void {
    this.batcher.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.batcher.dispose();
    await this.watcher.close();
    await this.drained();
  }

  private enqueue(batch: PendingChange[]): void {
    this.chain = this.chain
      .then(() => this.handle(batch))
      .catch((error: unknown) =>
        this.options.onError(error instanceof Error ? error : new Error(String(error))),
      );
  }

  private async handle(batch: PendingChange[]): Promise<void> {
    if (this.closed) return;
    const list = this.options.listDir ?? folderNames;
    // what a new folder holds, without what the watch skips (a node_modules no rule looks at)
    const listDir = async (dir: string) => (await list(dir)).filter((name) => !this.skip(join(dir, name)));
    const changes = await settle(batch, this.options.typeOf ?? entryType, listDir);
    const own = new Set([...this.scope.projectFiles, ...this.scope.ignoreFiles]);
    const projectChanges = changes.filter((c) => own.has(c.path));
    if (projectChanges.length) await this.options.onProjectFiles(projectChanges);
    if (this.closed) return;
    const actions = planActions(changes, this.scope.triggers);
    if (actions.length) this.options.onActions(actions);
  }
}
