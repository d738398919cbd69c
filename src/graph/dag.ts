import { InterruptedError, TsComposeError } from '../core/errors.js';

/**
 * A small directed acyclic graph of named nodes. An edge `from → to` means "from depends on to":
 * `to` must be handled before `from` when walking up (start order), after it when walking down
 * (stop order).
 */
export class Dag {
  private readonly deps = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();

  addNode(name: string): this {
    if (!this.deps.has(name)) {
      this.deps.set(name, new Set());
      this.dependents.set(name, new Set());
    }
    return this;
  }

  /** `from` depends on `to`. Both nodes are added if missing. */
  addEdge(from: string, to: string): this {
    this.addNode(from).addNode(to);
    this.deps.get(from)!.add(to);
    this.dependents.get(to)!.add(from);
    return this;
  }

  get nodes(): string[] {
    return [...this.deps.keys()];
  }

  dependenciesOf(name: string): string[] {
    return [...(this.deps.get(name) ?? [])];
  }

  dependentsOf(name: string): string[] {
    return [...(this.dependents.get(name) ?? [])];
  }

  /**
   * The first cycle found, as a path that starts and ends with the same node, or undefined.
   * Depth-first with a stack of its own: a chain of thousands of services is no stack overflow.
   */
  findCycle(): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>();
    for (const root of [...this.deps.keys()].sort()) {
      if (state.has(root)) continue;
      // the path being explored, each node with the dependencies it has left to visit
      const path: { node: string; next: string[] }[] = [];
      const enter = (node: string) => {
        state.set(node, 'visiting');
        path.push({ node, next: [...this.deps.get(node)!].sort().reverse() });
      };
      enter(root);
      while (path.length > 0) {
        const top = path[path.length - 1]!;
        const next = top.next.pop();
        if (next === undefined) {
          state.set(top.node, 'done');
          path.pop();
          continue;
        }
        const s = state.get(next);
        if (s === 'visiting') {
          const nodes = path.map((p) => p.node);
          return [...nodes.slice(nodes.indexOf(next)), next];
        }
        if (s === undefined) enter(next);
      }
    }
    return undefined;
  }

  /** Throws a TsComposeError naming the cycle (`a -> b -> a`) if there is one. */
  assertAcyclic(what = 'dependency'): void {
    const cycle = this.findCycle();
    if (cycle)
      throw new TsComposeError(`${what} cycle: ${cycle.join(' -> ')}`, {
        code: 'graph.cycle',
        exitCode: 15,
        hint: 'remove one of these dependencies',
      });
  }

  /** Dependencies first; ties broken by name so the order is deterministic. */
  topologicalOrder(): string[] {
    this.assertAcyclic();
    const remaining = new Map([...this.deps].map(([n, d]) => [n, d.size]));
    const order: string[] = [];
    let ready = [...remaining]
      .filter(([, n]) => n === 0)
      .map(([k]) => k)
      .sort();
    while (ready.length > 0) {
      const next: string[] = [];
      for (const node of ready) {
        order.push(node);
        for (const dependent of this.dependents.get(node)!) {
          const left = remaining.get(dependent)! - 1;
          remaining.set(dependent, left);
          if (left === 0) next.push(dependent);
        }
      }
      ready = next.sort();
    }
    return order;
  }

  /** The nodes reachable from `roots` through dependencies (roots included). */
  closure(roots: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node) || !this.deps.has(node)) continue;
      seen.add(node);
      stack.push(...this.deps.get(node)!);
    }
    return seen;
  }
}

export interface WalkOptions {
  /** `up`: a node runs after all its dependencies; `down`: after all its dependents. */
  direction: 'up' | 'down';
  /** At most this many visits run at once (Infinity: no bound). */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Visits every node concurrently in dependency order. A node starts as soon as the nodes it waits
 * for have finished; when a visit fails, no new visit starts, running ones finish, and the first
 * error is thrown.
 */
export async function walk(
  dag: Dag,
  visit: (node: string, signal: AbortSignal | undefined) => Promise<void>,
  options: WalkOptions,
): Promise<void> {
  dag.assertAcyclic();
  const { direction, signal } = options;
  const limit = Math.max(1, options.concurrency ?? Infinity);
  const waitsFor = (n: string) => (direction === 'up' ? dag.dependenciesOf(n) : dag.dependentsOf(n));
  const unblocks = (n: string) => (direction === 'up' ? dag.dependentsOf(n) : dag.dependenciesOf(n));

  const pending = new Map(dag.nodes.map((n) => [n, waitsFor(n).length]));
  const ready = dag.nodes.filter((n) => pending.get(n) === 0).sort();
  let running = 0;
  let failure: unknown;
  let finished = 0;

  await new Promise<void>((resolve) => {
    const pump = () => {
      if (signal?.aborted && failure === undefined) failure = new InterruptedError();
      if (failure !== undefined) {
        if (running === 0) resolve();
        return;
      }
      if (finished === pending.size) return resolve();
      while (running < limit && ready.length > 0) {
        const node = ready.shift()!;
        running++;
        visit(node, signal).then(
          () => {
            running--;
            finished++;
            for (const next of unblocks(node)) {
              const left = pending.get(next)! - 1;
              pending.set(next, left);
              if (left === 0) ready.push(next);
            }
            pump();
          },
          (error: unknown) => {
            running--;
            failure ??= error;
            pump();
          },
        );
      }
    };
    signal?.addEventListener('abort', pump, { once: true });
    pump();
  });
  if (failure !== undefined) throw failure;
}

/**
 * Items with ids and `after` lists in dependency order (an item after those it names; names of
 * items not in the list are ignored); among items ready at the same time, the lowest `rank` first,
 * then the given order. Deterministic: the order of plan texts and `--dry-run`.
 */
export function rankedOrder<T extends { id: string; after: readonly string[] }>(
  items: readonly T[],
  rank: (item: T) => number,
): T[] {
  const key = new Map(items.map((item, i) => [item.id, rank(item) * 1e6 + i]));
  const remaining = new Map(items.map((item) => [item.id, item.after.filter((a) => key.has(a)).length]));
  const dependents = new Map<string, string[]>();
  for (const item of items)
    for (const a of item.after) if (key.has(a)) dependents.set(a, [...(dependents.get(a) ?? []), item.id]);
  const byId = new Map(items.map((item) => [item.id, item]));
  const ready = items.filter((item) => remaining.get(item.id) === 0).map((item) => item.id);
  const out: T[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => key.get(a)! - key.get(b)!);
    const id = ready.shift()!;
    out.push(byId.get(id)!);
    for (const d of dependents.get(id) ?? []) {
      const left = remaining.get(d)! - 1;
      remaining.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return out;
}

/**
 * Runs items with ids and `after` lists (names of items not given are ignored) concurrently, each
 * once those it names are done: an executor's plan. The first failure aborts the signal every
 * running item was given, so waits in progress end at once, and is what this throws.
 */
export async function runPlanned<T extends { id: string; after: readonly string[] }>(
  items: readonly T[],
  run: (item: T, signal: AbortSignal) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const byId = new Map(items.map((item) => [item.id, item]));
  const dag = new Dag();
  for (const item of items) {
    dag.addNode(item.id);
    for (const a of item.after) if (byId.has(a)) dag.addEdge(item.id, a);
  }
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  let firstError: unknown;
  try {
    await walk(
      dag,
      async (id) => {
        try {
          await run(byId.get(id)!, stop.signal);
        } catch (error) {
          firstError ??= error;
          stop.abort();
          throw error;
        }
      },
      { direction: 'up', signal: stop.signal },
    );
  } catch (error) {
    throw firstError ?? error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
