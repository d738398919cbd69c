import type { Clock } from './clock.js';
import { InterruptedError } from './errors.js';
import type { ProgressEvent, ResourceKind } from './events.js';

type ResourceEvent = Extract<ProgressEvent, { type: 'resource' }>;

/**
 * One step of an executor (create a network, update a service, …) reported as the progress stream
 * wants it: `working` before, then `done` with its duration, or `error` with the cause (`Interrupted`
 * without one when the run was cancelled). `run` may return the done text, else `texts[1]` is used.
 */
export type ProgressStep = (
  kind: ResourceKind,
  id: string,
  texts: [working: string, done: string],
  detail: string | undefined,
  run: () => Promise<string | void>,
) => Promise<void>;

export function progressStep(
  emit: (event: ResourceEvent) => void,
  clock: Clock,
  signal: AbortSignal | undefined,
): ProgressStep {
  return async (kind, id, texts, detail, run) => {
    const started = clock.now();
    emit({ type: 'resource', kind, id, status: 'working', text: texts[0], detail });
    try {
      const doneText = await run();
      emit({
        type: 'resource',
        kind,
        id,
        status: 'done',
        text: doneText || texts[1],
        detail,
        durationMs: clock.now() - started,
      });
    } catch (error) {
      const interrupted = error instanceof InterruptedError || signal?.aborted;
      emit({
        type: 'resource',
        kind,
        id,
        status: 'error',
        text: interrupted ? 'Interrupted' : 'Error',
        detail: interrupted ? undefined : error instanceof Error ? error.message : String(error),
        durationMs: clock.now() - started,
      });
      throw error;
    }
  };
}
