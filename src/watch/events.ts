import { relativeTo } from './ignore.js';

/**
 * What the watch reports: one `action` line per action with its files, service, name and duration;
 * failures say what is kept; exec and build output; warnings said once.
 */
export type WatchEvent =
  | { type: 'watching'; services: string[]; paths: string[]; quietMs: number }
  | {
      type: 'action';
      service: string;
      /** `sync`, `sync+restart`, `sync+exec`, `restart`, `rebuild`, `initial sync`, `reload`. */
      action: string;
      /** Host paths (absolute). */
      files: string[];
      ok: boolean;
      durationMs: number;
      /** What was done beyond the name (`3 containers`), or on failure, why. */
      detail?: string;
      /** On failure: what keeps running (`the old container keeps running`). */
      kept?: string;
    }
  | { type: 'output'; service: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'warning'; message: string; service?: string }
  | { type: 'info'; message: string };

export type WatchListener = (event: WatchEvent) => void;

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Up to `max` paths, relative to the project folder, then how many more. */
export function describeFiles(files: readonly string[], root: string, max = 3): string {
  const shown = files.slice(0, max).map((f) => {
    const rel = relativeTo(root, f);
    return rel === undefined ? f : rel === '' ? '.' : rel;
  });
  const more = files.length - shown.length;
  return more > 0 ? `${shown.join(', ')} (+${more} more)` : shown.join(', ');
}

/**
 * The plain text of an event (no final newline): one line, but for a failure's detail lines under
 * it (a build's failing step); undefined for events not shown as text.
 */
export function formatWatchEvent(event: WatchEvent, root: string): string | undefined {
  switch (event.type) {
    case 'watching':
      return `Watching ${event.services.join(', ')} (${event.paths.length} path${event.paths.length === 1 ? '' : 's'}, batches after ${event.quietMs} ms of quiet); Ctrl-C to stop`;
    case 'action': {
      const files = event.files.length ? ` ${describeFiles(event.files, root)}` : '';
      const head = `${event.service} ${event.action}${files}`;
      if (event.ok)
        return `${head} (${duration(event.durationMs)}${event.detail ? `, ${event.detail}` : ''})`;
      const [first = 'unknown error', ...rest] = (event.detail ?? '').split('\n').filter(Boolean);
      const kept = event.kept ? `; ${event.kept}` : '';
      return [`${head} FAILED after ${duration(event.durationMs)}: ${first}${kept}`, ...rest].join('\n');
    }
    case 'output':
      return `${event.service} | ${event.line}`;
    case 'warning':
      return `warning: ${event.message}`;
    case 'info':
      return event.message;
    default: {
      const never: never = event;
      return never;
    }
  }
}
