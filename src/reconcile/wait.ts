import { InterruptedError, TsComposeError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { ContainerDetails, Engine, EngineEvent, EventSubscription } from '../engine/engine.js';
import { projectFilter } from './labels.js';
import type { ContainerTarget, WaitCondition } from './operations.js';

/**
 * Waits follow the engine's event stream: one subscription per run, opened before anything starts,
 * so every `health_status`, `die` and `start` of the project's containers reaches the waits. A wait
 * subscribes first, then inspects once (a dependency that is already healthy costs no more), then
 * reacts to events. If the stream breaks, waits fall back to inspecting every second; a slow
 * re-inspection also guards against a lost event.
 */

type Listener = (event: EngineEvent | 'broken') => void;

export type WaitVerdict = { done: true; text: string } | { done: false; failure?: string };

/** What a container's state says about a condition: met, failed (and why), or not yet. */
export function judge(details: ContainerDetails, condition: WaitCondition): WaitVerdict {
  const { state } = details;
  const hasCheck = !!state.health && state.health.status !== 'none';
  const exited =
    !state.running && !state.restarting && (state.status === 'exited' || state.status === 'dead');
  const exitText = `exited (${state.exitCode})${state.oomKilled ? ', killed for lack of memory' : ''}`;
  if (condition === 'completed') {
    if (exited)
      return state.exitCode === 0 ? { done: true, text: 'Exited' } : { done: false, failure: exitText };
    return { done: false };
  }
  if (exited) return { done: false, failure: exitText };
  const wantsHealth = condition === 'healthy' || (condition === 'ready' && hasCheck);
  if (wantsHealth) {
    if (!hasCheck)
      return state.running ? { done: false, failure: 'has no healthcheck configured' } : { done: false };
    if (state.health?.status === 'healthy') return { done: true, text: 'Healthy' };
    if (state.health?.status === 'unhealthy') return { done: false, failure: 'is unhealthy' };
    return { done: false };
  }
  return state.running ? { done: true, text: 'Running' } : { done: false };
}

/** What a condition means for this container: `ready` is `healthy` with a health check, else `running`. */
export function conditionWord(details: ContainerDetails | undefined, condition: WaitCondition): string {
  if (condition === 'completed') return 'to complete';
  if (condition !== 'ready') return condition;
  if (!details) return 'ready';
  return details.state.health && details.state.health.status !== 'none' ? 'healthy' : 'running';
}

export interface WaitRequest {
  container: ContainerTarget;
  condition: WaitCondition;
  /** Who waits, for messages: `app`. */
  dependents: string[];
  /** Called with a progress detail: `healthy? 3 checks, 1/5 failed`. */
  onProgress?: (detail: string) => void;
  signal?: AbortSignal;
}

/** Restarts seen during one wait that make a crash loop (Docker's back-off: 0.1 s, 0.2 s, 0.4 s...). */
export const crashLoopRestarts = 3;
/**
 * `up --wait` on a container with a restart policy and no health check: it must stay up this long
 * (ms), or a container that exits at once and is restarted at once would pass for running.
 */
export const settleMs = 1000;

const restarts = (n: number) => `restarted ${n} time${n === 1 ? '' : 's'}`;

export class ContainerWatch {
  private readonly listeners = new Set<{ matches: (e: EngineEvent) => boolean; listener: Listener }>();
  private broken = false;

  private constructor(
    private readonly engine: Engine,
    private readonly subscription: EventSubscription | undefined,
    private readonly clock: Clock,
  ) {}

  /** Subscribes to the project's container events; resolves once the engine delivers them. */
  static async open(engine: Engine, project: string, clock: Clock = systemClock): Promise<ContainerWatch> {
    let subscription: EventSubscription | undefined;
    try {
      subscription = await engine.followEvents({ type: ['container'], ...projectFilter(project) });
    } catch {
      subscription = undefined;
    }
    const watch = new ContainerWatch(engine, subscription, clock);
    if (!subscription) watch.broken = true;
    else void watch.pump(subscription);
    return watch;
  }

  close(): void {
    this.subscription?.close();
  }

  private async pump(subscription: EventSubscription): Promise<void> {
    try {
      for await (const event of subscription)
        for (const l of [...this.listeners]) if (l.matches(event)) l.listener(event);
    } catch {
      // the stream broke: waits fall back to inspection below
    }
    this.broken = true;
    for (const l of [...this.listeners]) l.listener('broken');
  }

  /** Resolves with the final status text (`Healthy`, `Exited`, `Running`); throws a TsComposeError on failure. */
  async wait(request: WaitRequest): Promise<string> {
    const { container, condition, signal } = request;
    let id = container.id;
    let checks = 0;
    let failedInARow = 0;
    let retries: number | undefined;
    /** Restart count at the first look, and the run (StartedAt) first seen up, with when (local ms). */
    let baseRestarts: number | undefined;
    let upSince: { startedAt: string; at: number } | undefined;
    // the condition in words, known once the container was inspected (`ready` depends on its check)
    let word: string | undefined;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      let inspecting = false;
      let again = false;
      const entry = {
        matches: (e: EngineEvent) => e.id === id || e.attributes.name === container.name,
        listener: (e: EngineEvent | 'broken') => {
          if (e === 'broken') return schedule(1000);
          if (e.action.startsWith('exec_die')) {
            checks++;
            failedInARow = e.attributes.exitCode === '0' ? 0 : failedInARow + 1;
            if (word !== undefined) request.onProgress?.(progressText());
            return;
          }
          if (e.action.startsWith('exec_')) return;
          if (e.action === 'destroy') return finish(undefined, 'was removed');
          void look();
        },
      };
      const progressText = () =>
        `${word ?? conditionWord(undefined, condition)}${
          checks
            ? `, ${checks} check${checks > 1 ? 's' : ''}${failedInARow ? `, ${failedInARow}${retries ? `/${retries}` : ''} failed` : ''}`
            : ''
        }`;
      let timer: unknown;
      /** Set by a look that found the container up but not yet settled: look again that soon. */
      let settleWait: number | undefined;
      const next = () => schedule(settleWait ?? (this.broken ? 1000 : 10_000));
      const schedule = (ms: number) => {
        if (settled) return;
        this.clock.clearTimeout(timer);
        timer = this.clock.setTimeout(() => void look().then(() => next()), ms);
      };
      const onAbort = () => finish(undefined, undefined, true);
      const finish = (
        text: string | undefined,
        failure?: string,
        aborted = false,
        details?: ContainerDetails,
      ) => {
        if (settled) return;
        settled = true;
        this.listeners.delete(entry);
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (aborted) return reject(new InterruptedError());
        if (text !== undefined) return resolve(text);
        void this.failure(request, failure ?? 'failed', details).then(reject, reject);
      };
      const look = async () => {
        if (settled) return;
        if (inspecting) {
          again = true;
          return;
        }
        inspecting = true;
        try {
          do {
            again = false;
            settleWait = undefined;
            const details = await this.engine.inspectContainer(id ?? container.name);
            id = details.id;
            retries = details.config.healthcheck?.retries || 3;
            if (word === undefined) {
              word = conditionWord(details, condition);
              request.onProgress?.(progressText());
            }
            const verdict = judge(details, condition);
            baseRestarts ??= details.restartCount;
            const looping =
              details.restartCount - baseRestarts >= crashLoopRestarts ||
              (details.state.restarting && details.restartCount >= crashLoopRestarts);
            if (condition !== 'completed' && looping)
              return finish(
                undefined,
                `(service ${container.service}) keeps restarting: ${restarts(details.restartCount)}, last exit code ${details.state.exitCode}`,
                false,
                details,
              );
            if (verdict.done && verdict.text === 'Running' && condition === 'ready') {
              const wait = this.unsettled(details, upSince);
              if (wait > 0) {
                if (upSince?.startedAt !== details.state.startedAt)
                  upSince = { startedAt: details.state.startedAt, at: this.clock.now() };
                settleWait = wait;
                schedule(wait);
                return;
              }
            }
            if (verdict.done) return finish(verdict.text);
            if (verdict.failure) return finish(undefined, verdict.failure, false, details);
          } while (again && !settled);
        } catch (error) {
          if (!settled) {
            settled = true;
            this.listeners.delete(entry);
            this.clock.clearTimeout(timer);
            reject(error);
          }
        } finally {
          inspecting = false;
        }
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.listeners.add(entry);
      void look().then(() => next());
    });
  }

  /**
   * How much longer (ms) a running container with a restart policy and no health check must stay up
   * before it counts as running: 0 once it has been up `settleMs` by the engine's clock, or by ours
   * across two looks at the same run.
   */
  private unsettled(
    details: ContainerDetails,
    upSince: { startedAt: string; at: number } | undefined,
  ): number {
    const policy = details.restartPolicy ?? '';
    if (policy === '' || policy === 'no') return 0;
    const now = this.clock.now();
    const byEngine = now - Date.parse(details.state.startedAt);
    if (Number.isFinite(byEngine) && byEngine >= settleMs) return 0;
    if (upSince?.startedAt === details.state.startedAt) return Math.max(0, settleMs - (now - upSince.at));
    return settleMs;
  }

  /** The error of a failed wait: what happened, its last health check output and last log lines. */
  private async failure(
    request: WaitRequest,
    what: string,
    details?: ContainerDetails,
  ): Promise<TsComposeError> {
    const { container, dependents } = request;
    const lines: string[] = [];
    const last = details?.state.health?.log.at(-1);
    if (last) {
      lines.push(`last health check (exit ${last.exitCode}):`);
      for (const l of last.output.trimEnd().split('\n').slice(-5)) lines.push(`  ${l}`);
    }
    try {
      const logs: string[] = [];
      for await (const line of this.engine.containerLogs(details?.id ?? container.name, { tail: 10 }))
        logs.push(`  ${line.text}`);
      if (logs.length) lines.push(`last log lines of ${container.name}:`, ...logs);
    } catch {
      // the logs are a courtesy; the failure itself is what matters
    }
    const who = dependents.length ? `dependency failed to start: ` : '';
    const code = what.includes('healthcheck')
      ? 'dependency.no-healthcheck'
      : what.includes('keeps restarting')
        ? 'dependency.crash-loop'
        : what.includes('unhealthy')
          ? 'dependency.unhealthy'
          : 'dependency.exited';
    return new TsComposeError(`${who}container ${container.name} ${what}`, {
      code,
      details: lines,
      hint: dependents.length
        ? `${dependents.join(', ')} waited for ${container.service}; see \`tscompose logs ${container.service}\``
        : `see \`tscompose logs ${container.service}\``,
    });
  }
}
