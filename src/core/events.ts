/**
 * The one stream of progress events that builds, plans and waits emit and that every UI sink
 * (TTY, plain, JSON, quiet) renders. Plain data only: sinks may serialize it as it is.
 */
export type ResourceKind = 'network' | 'volume' | 'container' | 'image' | 'service' | 'secret' | 'config';

export type ResourceStatus = 'working' | 'done' | 'warning' | 'error';

export type ProgressEvent =
  /** A resource changed state: `Creating` (working) then `Created` (done), `Waiting` … `Healthy`. */
  | {
      type: 'resource';
      kind: ResourceKind;
      /** The name users see: `myproj-web-1`, `myproj_default`. */
      id: string;
      status: ResourceStatus;
      /** Verb of what happens, in Compose's words: `Creating`, `Created`, `Started`, `Recreate`. */
      text: string;
      /** Why or how: `environment changed`, `healthy, 3/10 checks`. */
      detail?: string;
      /** Set on the final event of a resource: how long its step took. */
      durationMs?: number;
    }
  /** One line of a build's output (or of a step that streams output). */
  | { type: 'output'; id: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'warning'; message: string; id?: string }
  | { type: 'info'; message: string; id?: string }
  /** Everything is done: the summary line. */
  | { type: 'summary'; text: string; durationMs: number; ok: boolean };

export type ProgressListener = (event: ProgressEvent) => void;

/** A sink that drops everything, for callers that don't report progress. */
export const silentProgress: ProgressListener = () => {};
