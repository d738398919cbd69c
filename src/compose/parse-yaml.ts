import {
  EVENT_ID,
  getScalarValue,
  parseEvents,
  SCALAR_STYLE,
  YAMLException,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import { projectError } from '../core/errors.js';
import { formatPath, put, type Path } from './path.js';

/**
 * Phase 1: YAML text → plain data, with the place of every key and value kept aside so that any
 * dotted path maps back to `file:line:col`. js-yaml's event parser does the YAML grammar (fast, and
 * bounded in depth); this module builds the values with go-yaml's rules, as Compose reads them:
 * `<<` merge keys, `!reset` / `!override` markers, `0755` as octal, `1_000` as a number, string keys,
 * duplicate keys refused, and aliases expanded into separate copies within a budget that refuses
 * alias bombs before they expand.
 */

/** A value tagged `!reset` or `!override`: the merge phase consumes it. */
export class Tagged {
  constructor(
    readonly tag: 'reset' | 'override',
    readonly value: unknown,
  ) {}
}

export interface YamlLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Deepest nesting of maps and sequences (aliases count their own depth). */
  maxDepth: number;
  /** Most values aliases may expand to (an alias bomb expands to billions). */
  maxNodes: number;
}

/**
 * Far beyond any real compose file (the largest stacks are tens of kilobytes), low enough that the
 * refusal is immediate: a 10 MB file is not read as YAML at all.
 */
export const defaultYamlLimits: YamlLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 128, maxNodes: 250_000 };

const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;

export interface Position {
  line: number;
  column: number;
}

export interface ParsedYaml {
  /** One plain value per YAML document (`---`); usually one map. */
  documents: unknown[];
  /**
   * Where the value (or, with `key`, the key) at `path` was written, or its nearest ancestor;
   * `matched` is how many segments of the path were found.
   */
  locate(path: Path, key?: boolean): (Position & { matched: number }) | undefined;
}

/** Where the parts of a map or sequence were written (offsets in the text). */
interface Places {
  start: number;
  /** Map: key → offsets of the key and of the value (-1: empty value). */
  keys?: Map<string, { key: number; value: number }>;
  /** Sequence: offset of each item. */
  items?: number[];
}

export function parseYaml(text: string, file: string, limits: YamlLimits = defaultYamlLimits): ParsedYaml {
  // characters: never more than the bytes, so a file of fewer bytes always passes
  if (text.length > limits.maxBytes)
    throw projectError(
      `${file} is too large for a compose file: ${mib(text.length)}, the limit is ${mib(limits.maxBytes)}`,
      'compose.too-large',
      { file },
      'check that -f names the compose file; split a really large one with include:',
    );
  const lines = new LineIndex(text);
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: limits.maxDepth });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark;
      const tooDeep = /maxDepth/.test(error.reason);
      throw projectError(
        tooDeep
          ? `${file}: YAML is nested more than ${limits.maxDepth} levels deep (the limit)`
          : `invalid YAML: ${error.reason}`,
        tooDeep ? 'compose.too-deep' : 'compose.yaml-syntax',
        { file, line: mark ? mark.line + 1 : undefined, column: mark ? mark.column + 1 : undefined },
        tooDeep ? 'a compose file needs a few levels; look for unclosed [ or { brackets' : undefined,
      );
    }
    if (error instanceof RangeError)
      throw projectError('YAML is nested too deeply to be read', 'compose.too-deep', {
        file,
        line: 1,
        column: 1,
      });
    throw error;
  }
  const builder = new Builder(text, events, file, lines, limits);
  const documents: unknown[] = [];
  const roots: { value: unknown; offset: number }[] = [];
  let i = 0;
  while (i < events.length) {
    // DOCUMENT, its content (absent when empty), POP
    i++;
    if (events[i]?.type === EVENT_ID.POP) {
      documents.push(null);
      roots.push({ value: null, offset: 0 });
      i++;
      continue;
    }
    const offset = builder.offsetOf(i);
    const [value, next] = builder.node(i, 0, []);
    documents.push(value);
    roots.push({ value, offset });
    // past the content and the document's own POP
    i = next + 2;
  }
  return {
    documents,
    locate(path, key = false) {
      let best: { offset: number; matched: number } | undefined;
      for (let d = roots.length - 1; d >= 0; d--) {
        const found = locateIn(roots[d]!.value, roots[d]!.offset, path, key, builder.places);
        if (found && (!best || found.matched > best.matched)) best = found;
      }
      if (!best) return undefined;
      return { ...lines.position(best.offset), matched: best.matched };
    },
  };
}

class Builder {
  readonly places = new WeakMap<object, Places>();
  /** Anchor name → index of the event it names, as defined so far in document order. */
  private readonly anchors = new Map<string, number>();
  private readonly sizes = new Map<number, number>();
  /** Values produced by expanding aliases so far (the text itself bounds the rest). */
  private expanded = 0;
  /** Inside an alias being expanded: its anchors were registered when first read. */
  private replaying = 0;

  constructor(
    private readonly text: string,
    private readonly events: Event[],
    private readonly file: string,
    private readonly lines: LineIndex,
    private readonly limits: YamlLimits,
  ) {}

  fail(message: string, code: string, offset: number, path: Path, hint?: string) {
    const pos = offset >= 0 ? this.lines.position(offset) : undefined;
    return projectError(
      message,
      code,
      { file: this.file, line: pos?.line, column: pos?.column, path: formatPath(path) || undefined },
      hint,
    );
  }

  offsetOf(i: number): number {
    const e = this.events[i]!;
    switch (e.type) {
      case EVENT_ID.SCALAR:
        if (e.valueStart < 0) return e.tagStart >= 0 ? e.tagStart : e.anchorStart;
        // point at the opening quote rather than inside it
        return e.style === SCALAR_STYLE.DOUBLE_QUOTED || e.style === SCALAR_STYLE.SINGLE_QUOTED
          ? e.valueStart - 1
          : e.valueStart;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return e.start;
      case EVENT_ID.ALIAS:
        return e.anchorStart - 1;
      default:
        return -1;
    }
  }

  /** Builds the node starting at event `i`; returns it and the index of its last event. */
  node(i: number, depth: number, path: (string | number)[]): [unknown, number] {
    const e = this.events[i]!;
    if (depth > this.limits.maxDepth)
      throw this.fail(
        `${this.file}: YAML is nested more than ${this.limits.maxDepth} levels deep (the limit)`,
        'compose.too-deep',
        this.offsetOf(i),
        [...path.slice(0, 4), '…'],
        'a compose file needs a few levels; look for unclosed [ or { brackets',
      );
    if (e.type === EVENT_ID.ALIAS) return [this.alias(i, depth, path), i];
    if (e.type !== EVENT_ID.SCALAR && e.type !== EVENT_ID.MAPPING && e.type !== EVENT_ID.SEQUENCE)
      throw this.fail('unexpected YAML structure', 'compose.yaml-syntax', this.offsetOf(i), path);
    if (e.anchorStart >= 0 && this.replaying === 0)
      this.anchors.set(this.text.slice(e.anchorStart, e.anchorEnd), i);
    const tag = e.tagStart >= 0 ? this.text.slice(e.tagStart, e.tagEnd) : '';
    let value: unknown;
    let last: number;
    if (e.type === EVENT_ID.SCALAR) {
      value = scalarValue(this.text, e, tag);
      last = i;
    } else if (e.type === EVENT_ID.SEQUENCE) [value, last] = this.sequence(i, depth, path);
    else [value, last] = this.mapping(i, depth, path);
    if (tag === '!reset' || tag === '!override')
      value = new Tagged(tag === '!reset' ? 'reset' : 'override', value);
    return [value, last];
  }

  private alias(i: number, depth: number, path: (string | number)[]): unknown {
    const e = this.events[i] as Extract<Event, { type: typeof EVENT_ID.ALIAS }>;
    const name = this.text.slice(e.anchorStart, e.anchorEnd);
    const target = this.anchors.get(name);
    if (target === undefined)
      throw this.fail(`unknown alias *${name}`, 'compose.yaml-syntax', this.offsetOf(i), path);
    this.expanded += this.size(target, 0);
    if (this.expanded > this.limits.maxNodes)
      throw this.fail(
        `${this.file}: YAML aliases expand to more than ${this.limits.maxNodes} values, the limit (an "alias bomb"?)`,
        'compose.too-large',
        this.offsetOf(i),
        path,
        'each use of an alias (*name) is a copy of its anchor: nest fewer of them',
      );
    // built again from its events: each use is a separate copy, with its own places
    this.replaying++;
    try {
      return this.node(target, depth + 1, path)[0];
    } finally {
      this.replaying--;
    }
  }

  /** How many values the node at event `i` expands to, aliases included; computed once per node. */
  private size(i: number, depth: number): number {
    const known = this.sizes.get(i);
    if (known !== undefined) return known;
    if (depth > this.limits.maxDepth) return Infinity;
    let total = 0;
    let open = 0;
    let j = i;
    do {
      const e = this.events[j]!;
      if (e.type === EVENT_ID.POP) open--;
      else if (e.type === EVENT_ID.ALIAS) {
        const target = this.anchors.get(this.text.slice(e.anchorStart, e.anchorEnd));
        total += target === undefined ? 1 : this.size(target, depth + 1);
      } else {
        total++;
        if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) open++;
      }
      j++;
      if (total > this.limits.maxNodes) break;
    } while (open > 0 && j < this.events.length);
    this.sizes.set(i, total);
    return total;
  }

  private sequence(i: number, depth: number, path: (string | number)[]): [unknown[], number] {
    const out: unknown[] = [];
    const items: number[] = [];
    this.places.set(out, { start: this.offsetOf(i), items });
    let j = i + 1;
    while (this.events[j]!.type !== EVENT_ID.POP) {
      items.push(this.offsetOf(j));
      path.push(out.length);
      const [value, last] = this.node(j, depth + 1, path);
      path.pop();
      out.push(value);
      j = last + 1;
    }
    return [out, j];
  }

  private mapping(i: number, depth: number, path: (string | number)[]): [Record<string, unknown>, number] {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, { key: number; value: number }>();
    this.places.set(out, { start: this.offsetOf(i), keys });
    const merges: { value: unknown; offset: number }[] = [];
    let j = i + 1;
    while (this.events[j]!.type !== EVENT_ID.POP) {
      const keyEvent = this.events[j]!;
      const keyOffset = this.offsetOf(j);
      if (keyEvent.type !== EVENT_ID.SCALAR && keyEvent.type !== EVENT_ID.ALIAS)
        throw this.fail(
          'a map key must be a plain value, not a map or a list',
          'compose.yaml-syntax',
          keyOffset,
          path,
        );
      const isMerge =
        keyEvent.type === EVENT_ID.SCALAR &&
        keyEvent.style === SCALAR_STYLE.PLAIN &&
        keyEvent.tagStart < 0 &&
        getScalarValue(this.text, keyEvent) === '<<';
      let keyValue: unknown;
      [keyValue, j] = this.node(j, depth + 1, path);
      j++;
      const valueOffset = this.offsetOf(j);
      if (isMerge) {
        const [value, last] = this.node(j, depth + 1, path);
        merges.push({ value, offset: valueOffset });
        j = last + 1;
        continue;
      }
      if (keyValue !== null && typeof keyValue === 'object')
        throw this.fail(
          'a map key must be a plain value, not a map or a list',
          'compose.yaml-syntax',
          keyOffset,
          path,
        );
      const key = keyValue === null ? 'null' : String(keyValue);
      const first = keys.get(key);
      if (first)
        throw this.fail(
          `duplicate key "${key}" (first defined on line ${this.lines.position(first.key).line})`,
          'compose.duplicate-key',
          keyOffset,
          [...path, key],
        );
      keys.set(key, { key: keyOffset, value: valueOffset });
      path.push(key);
      const [value, last] = this.node(j, depth + 1, path);
      path.pop();
      put(out, key, value);
      j = last + 1;
    }
    // `<<: *a` or `<<: [*a, *b]`: keys written in the map win, then earlier sources over later ones
    for (const merge of merges) {
      const sources = Array.isArray(merge.value) ? merge.value : [merge.value];
      for (const source of sources) {
        if (
          source === null ||
          typeof source !== 'object' ||
          Array.isArray(source) ||
          source instanceof Tagged
        )
          throw this.fail(
            'a merge key (<<) takes a map or a list of maps',
            'compose.yaml-syntax',
            merge.offset,
            path,
          );
        const from = this.places.get(source)?.keys;
        for (const [k, v] of Object.entries(source)) {
          if (keys.has(k)) continue;
          keys.set(k, from?.get(k) ?? { key: merge.offset, value: merge.offset });
          put(out, k, v);
        }
      }
    }
    return [out, j];
  }
}

/** Plain scalars as go-yaml v3 resolves them into an untyped value; quoted and block ones are strings. */
function scalarValue(text: string, e: ScalarEvent, tag: string): unknown {
  if (e.valueStart < 0) return e.style === SCALAR_STYLE.PLAIN ? null : '';
  const source = getScalarValue(text, e);
  if (e.style !== SCALAR_STYLE.PLAIN) return source;
  if (tag === '!!str' || tag === '!<tag:yaml.org,2002:str>') return source;
  return resolvePlain(source);
}

const INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function resolvePlain(source: string): unknown {
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Infinity;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN;
  }
  const first = source.charCodeAt(0);
  // only digits, signs and dots start a number
  if (!((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e))
    return source;
  const plain = source.includes('_') ? source.replaceAll('_', '') : source;
  if (INT.test(plain)) {
    const negative = plain.startsWith('-');
    const digits = plain.replace(/^[-+]/, '');
    let n: number;
    if (/^0[xX]/.test(digits)) n = Number.parseInt(digits.slice(2), 16);
    else if (/^0[oO]/.test(digits)) n = Number.parseInt(digits.slice(2), 8);
    else if (/^0[bB]/.test(digits)) n = Number.parseInt(digits.slice(2), 2);
    // go-yaml reads a leading zero as octal (YAML 1.1), which Compose files rely on for modes
    else if (digits.length > 1 && digits.startsWith('0')) n = Number.parseInt(digits, 8);
    else n = Number.parseInt(digits, 10);
    return negative ? -n : n;
  }
  if (FLOAT.test(plain)) return Number(plain);
  return source;
}

/** Offsets → 1-based line and column, by binary search over line starts (built on first use). */
class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  position(offset: number): Position {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
        this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

function locateIn(
  root: unknown,
  rootOffset: number,
  path: Path,
  wantKey: boolean,
  places: WeakMap<object, Places>,
): { offset: number; matched: number } | undefined {
  let node = root;
  let best = { offset: rootOffset, matched: 0 };
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    if (node instanceof Tagged) node = node.value;
    if (node === null || typeof node !== 'object') return best;
    const place = places.get(node);
    if (!place) return best;
    const last = depth === path.length - 1;
    if (Array.isArray(node) && typeof segment === 'number' && place.items) {
      const offset = place.items[segment];
      if (offset === undefined) return best;
      best = { offset, matched: depth + 1 };
      node = node[segment];
    } else if (!Array.isArray(node) && place.keys) {
      const entry = place.keys.get(String(segment));
      if (!entry) return best;
      best = { offset: (last && wantKey) || entry.value < 0 ? entry.key : entry.value, matched: depth + 1 };
      node = (node as Record<string, unknown>)[String(segment)];
    } else return best;
  }
  return best;
}
