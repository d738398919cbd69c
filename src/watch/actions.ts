import { posix } from 'node:path';
import type { ServiceHook } from '../compose/model.js';
import type { FileChange } from './changes.js';
import { relativeTo } from './ignore.js';
import { triggerAccepts, type WatchTrigger } from './triggers.js';

/** A host path and where it goes in the container. */
export interface PathMapping {
  hostPath: string;
  containerPath: string;
}

/**
 * What one service does about one batch: at most one action per service per batch, however many
 * files and rules the batch touched. A rebuild makes syncs pointless (the new container starts from
 * the new image), so it absorbs them; otherwise files are synced (copied and removed), then the
 * service's containers are restarted and/or the exec commands run.
 */
export type WatchAction =
  | {
      kind: 'rebuild';
      service: string;
      /** Host paths that caused it. */
      files: string[];
      /** A `rebuild` rule, or the build context under --build-context. */
      source: 'rule' | 'build-context';
    }
  | {
      kind: 'sync';
      service: string;
      files: string[];
      /** Paths to copy into the containers (files, folders as entries, symlinks), by container path. */
      copy: PathMapping[];
      /** Container paths to remove; none is below another. */
      remove: string[];
      /** sync+restart (or a restart rule in the same batch). */
      restart: boolean;
      /** sync+exec commands, each once, in rule order. */
      exec: ServiceHook[];
      /** The start-up sync of `initial_sync` or --resync, not a reaction to a change. */
      initial?: boolean;
    }
  | { kind: 'restart'; service: string; files: string[] };

/** The name users know an action by: `sync`, `sync+restart`, `sync+exec`, `restart`, `rebuild`. */
export function actionName(action: WatchAction): string {
  switch (action.kind) {
    case 'rebuild':
    case 'restart':
      return action.kind;
    case 'sync':
      if (action.initial) return 'initial sync';
      return ['sync', action.restart ? 'restart' : '', action.exec.length ? 'exec' : '']
        .filter(Boolean)
        .join('+');
    default: {
      const never: never = action;
      return never;
    }
  }
}

function containerPathOf(trigger: WatchTrigger, hostPath: string): string | undefined {
  const rel = relativeTo(trigger.path, hostPath);
  if (rel === undefined || trigger.target === undefined) return undefined;
  return rel === '' ? trigger.target : posix.join(trigger.target, rel);
}

/** Removes paths that lie below another path of the list (removing the folder removes them). */
function topmost(paths: Iterable<string>): string[] {
  const sorted = [...new Set(paths)].sort();
  const out: string[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && relativeTo(last, p) !== undefined) continue;
    out.push(p);
  }
  return out;
}

interface ServiceHits {
  files: Set<string>;
  rebuild?: 'rule' | 'build-context';
  restart: boolean;
  copy: Map<string, string>;
  remove: Set<string>;
  exec: Map<string, ServiceHook>;
}

/**
 * The pure heart of the watch: a settled batch of changes and the triggers → the actions, one per
 * service, sorted by service. Files are listed sorted; the batch decides nothing by its order.
 */
export function planActions(
  changes: readonly FileChange[],
  triggers: readonly WatchTrigger[],
): WatchAction[] {
  const hits = new Map<string, ServiceHits>();
  const hitsOf = (service: string) => {
    let h = hits.get(service);
    if (!h) {
      h = { files: new Set(), restart: false, copy: new Map(), remove: new Set(), exec: new Map() };
      hits.set(service, h);
    }
    return h;
  };
  for (const change of changes)
    for (const trigger of triggers) {
      if (!triggerAccepts(trigger, change.path)) continue;
      const h = hitsOf(trigger.service);
      h.files.add(change.path);
      switch (trigger.action) {
        case 'rebuild':
          if (h.rebuild !== 'rule') h.rebuild = trigger.source;
          break;
        case 'restart':
          h.restart = true;
          break;
        case 'sync':
        case 'sync+restart':
        case 'sync+exec': {
          const containerPath = containerPathOf(trigger, change.path);
          if (containerPath === undefined) break;
          if (change.kind === 'deleted') {
            h.copy.delete(containerPath);
            h.remove.add(containerPath);
          } else {
            h.remove.delete(containerPath);
            h.copy.set(containerPath, change.path);
          }
          if (trigger.action === 'sync+restart') h.restart = true;
          if (trigger.action === 'sync+exec' && trigger.exec)
            h.exec.set(JSON.stringify(trigger.exec), trigger.exec);
          break;
        }
        default: {
          const never: never = trigger.action;
          return never;
        }
      }
    }

  const actions: WatchAction[] = [];
  for (const service of [...hits.keys()].sort()) {
    const h = hits.get(service)!;
    const files = [...h.files].sort();
    if (h.rebuild) {
      actions.push({ kind: 'rebuild', service, files, source: h.rebuild });
      continue;
    }
    const remove = topmost(h.remove);
    const copy = [...h.copy]
      .filter(([containerPath]) => !remove.some((r) => relativeTo(r, containerPath) !== undefined))
      .map(([containerPath, hostPath]) => ({ hostPath, containerPath }))
      .sort((a, b) => (a.containerPath < b.containerPath ? -1 : a.containerPath > b.containerPath ? 1 : 0));
    if (copy.length === 0 && remove.length === 0 && h.exec.size === 0) {
      if (h.restart) actions.push({ kind: 'restart', service, files });
      continue;
    }
    actions.push({
      kind: 'sync',
      service,
      files,
      copy,
      remove,
      restart: h.restart,
      exec: [...h.exec.values()],
    });
  }
  return actions;
}

/**
 * Merges an action waiting for its service's lane with a newer one: a rebuild absorbs everything,
 * syncs add up (the newer mapping of a container path wins), restarts and execs are kept.
 */
export function mergeActions(older: WatchAction, newer: WatchAction): WatchAction {
  const files = [...new Set([...older.files, ...newer.files])].sort();
  if (older.kind === 'rebuild' || newer.kind === 'rebuild') {
    const source =
      (older.kind === 'rebuild' && older.source === 'rule') ||
      (newer.kind === 'rebuild' && newer.source === 'rule')
        ? 'rule'
        : 'build-context';
    return { kind: 'rebuild', service: newer.service, files, source };
  }
  if (older.kind === 'restart' && newer.kind === 'restart') return { ...newer, files };
  const empty = { copy: [], remove: [], restart: true, exec: [] };
  const a = older.kind === 'sync' ? older : empty;
  const b = newer.kind === 'sync' ? newer : empty;
  const copy = new Map<string, string>();
  const remove = new Set<string>();
  for (const side of [a, b]) {
    for (const r of side.remove) {
      remove.add(r);
      for (const c of [...copy.keys()]) if (relativeTo(r, c) !== undefined) copy.delete(c);
    }
    for (const m of side.copy) {
      copy.set(m.containerPath, m.hostPath);
      remove.delete(m.containerPath);
    }
  }
  const exec = new Map<string, ServiceHook>();
  for (const hook of [...a.exec, ...b.exec]) exec.set(JSON.stringify(hook), hook);
  return {
    kind: 'sync',
    service: newer.service,
    files,
    copy: [...copy]
      .map(([containerPath, hostPath]) => ({ hostPath, containerPath }))
      .sort((x, y) => (x.containerPath < y.containerPath ? -1 : x.containerPath > y.containerPath ? 1 : 0)),
    remove: topmost(remove),
    restart: (older.kind === 'sync' ? older.restart : true) || (newer.kind === 'sync' ? newer.restart : true),
    exec: [...exec.values()],
  };
}

/** Deterministic text of a batch's actions: the golden string of the rules tests. */
export function renderActions(actions: readonly WatchAction[], root: string): string {
  const show = (p: string) => {
    const rel = relativeTo(root, p);
    return rel === undefined ? p : rel === '' ? '.' : rel;
  };
  const lines: string[] = [];
  for (const action of actions) {
    lines.push(
      `${action.service}: ${actionName(action)} (${action.files.length} files: ${action.files.map(show).join(', ')})`,
    );
    switch (action.kind) {
      case 'rebuild':
        lines.push(`  rebuild image (${action.source})`);
        break;
      case 'restart':
        lines.push('  restart containers');
        break;
      case 'sync':
        for (const r of action.remove) lines.push(`  remove ${r}`);
        for (const c of action.copy) lines.push(`  copy ${show(c.hostPath)} -> ${c.containerPath}`);
        if (action.restart) lines.push('  restart containers');
        for (const e of action.exec) lines.push(`  exec ${JSON.stringify(e.command)}`);
        break;
      default: {
        const never: never = action;
        return never;
      }
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '(nothing to do)\n';
}
