import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import { projectError } from '../core/errors.js';
import { formatPath, put, type Path } from './path.js';

/**
 * Phase 1: YAML text → plain data, keeping the documents so that any dotted path can be mapped back
 * to `file:line:col`. Our own walk over the AST (rather than `toJS`) gives us Compose's rules:
 * `<<` merge keys, `!reset` / `!override` markers, octal `0755` as go-yaml reads it, string keys,
 * and hard limits that refuse alias bombs and absurdly deep or large input quickly.
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
  /** Deepest nesting of maps and sequences. */
  maxDepth: number;
  /** Most values produced, aliases expanded (an alias bomb expands to billions). */
  maxNodes: number;
}

export const defaultYamlLimits: YamlLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 128,
  maxNodes: 250_000,
};

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

export function parseYaml(text: string, file: string, limits: YamlLimits = defaultYamlLimits): ParsedYaml {
  if (text.length > limits.maxBytes)
    throw projectError(
      `file is too large (${text.length} bytes; the limit is ${limits.maxBytes})`,
      'compose.too-large',
      { file },
    );
  const deep = flowNestingOver(text, limits.maxDepth * 4);
  if (deep !== undefined)
    throw projectError(
      `YAML is nested more than ${limits.maxDepth * 4} levels deep in [ ] or { }`,
      'compose.too-deep',
      { file, ...lineAndColumn(text, deep) },
    );
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      // duplicates are found by our walk: the library's check is quadratic in the size of a map
      uniqueKeys: false,
      prettyErrors: true,
      // merge keys are resolved by our walk, so `<<` stays a plain key here
      merge: false,
    }) as Document.Parsed[];
  } catch (error) {
    if (error instanceof RangeError)
      throw projectError('YAML is nested too deeply to be read', 'compose.too-deep', {
        file,
        line: 1,
        column: 1,
      });
    throw error;
  }
  if (!Array.isArray(docs)) docs = [];
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const pos = first.linePos?.[0];
      const headline = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const frame = first.message.split('\n').slice(2).filter(Boolean);
      throw Object.assign(
        projectError(
          first.code === 'DUPLICATE_KEY'
            ? `duplicate key: ${headline.toLowerCase()}`
            : `invalid YAML: ${headline}`,
          first.code === 'DUPLICATE_KEY' ? 'compose.duplicate-key' : 'compose.yaml-syntax',
          { file, line: pos?.line, column: pos?.col },
          first.code === 'DUPLICATE_KEY' ? 'remove or rename one of the two keys' : undefined,
        ),
        { details: frame },
      );
    }
  }
  const converter = new Converter(file, lineCounter, limits);
  const documents = docs.map((doc) => converter.convert(doc.contents as YamlNode | null, doc, 0));
  return {
    documents,
    locate(path, key = false) {
      let best: { offset: number; matched: number } | undefined;
      for (let i = docs.length - 1; i >= 0; i--) {
        const found = locateIn(docs[i]!, path, key);
        if (found && (!best || found.matched > best.matched)) best = found;
      }
      if (!best) return undefined;
      const pos = lineCounter.linePos(best.offset);
      return { line: pos.line, column: pos.col, matched: best.matched };
    },
  };
}

/**
 * Offset where `[`/`{` nesting passes `max`, or undefined: refuses absurd nesting before the YAML
 * parser recurses into it. Quotes and comments are skipped; block scalars are not, so the bound is
 * generous.
 */
function flowNestingOver(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22 || c === 0x27) {
      // skip a quoted string (a quote inside a plain word skips to its pair too: harmless here)
      const end = text.indexOf(String.fromCharCode(c), i + 1);
      if (end > 0 && !text.slice(i, end).includes('\n')) i = end;
    } else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    }
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

class Converter {
  /** Where the walk is, as a stack (copied only into an error). */
  private readonly path: (string | number)[] = [];
  private readonly aliasTargets = new Map<YamlNode, YamlNode | undefined>();
  private readonly sizes = new Map<YamlNode, number>();
  private readonly sizing = new Set<YamlNode>();

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly limits: YamlLimits,
  ) {}

  private fail(message: string, code: string, node: YamlNode, path: Path = this.path) {
    const pos = node.range ? this.lines.linePos(node.range[0]) : undefined;
    return projectError(message, code, {
      file: this.file,
      line: pos?.line,
      column: pos?.col,
      path: formatPath(path) || undefined,
    });
  }

  /** The anchored node an alias names, resolved once per alias (the library searches the document). */
  private target(alias: YamlNode, doc: Document.Parsed): YamlNode {
    let target = this.aliasTargets.get(alias);
    if (!this.aliasTargets.has(alias)) {
      target = (alias as unknown as { resolve(d: Document.Parsed): YamlNode | undefined }).resolve(doc);
      this.aliasTargets.set(alias, target);
    }
    if (!target)
      throw this.fail(
        `unknown alias *${(alias as { source?: string }).source ?? ''}`,
        'compose.yaml-syntax',
        alias,
      );
    return target;
  }

  /**
   * How many values `node` expands to, aliases included, computed once per node: an alias bomb
   * (9 aliases of 9 aliases of …) is refused before anything is expanded.
   */
  private size(node: YamlNode | null | undefined, doc: Document.Parsed): number {
    if (!node) return 1;
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    if (this.sizing.has(node))
      throw this.fail('an alias refers to a node that contains it', 'compose.yaml-syntax', node, []);
    this.sizing.add(node);
    let total = 1;
    if (isAlias(node)) total = this.size(this.target(node, doc), doc);
    else if (isSeq(node)) for (const item of node.items) total += this.size(item as YamlNode | null, doc);
    else if (isMap(node))
      for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[])
        total += this.size(pair.key, doc) + this.size(pair.value, doc);
    this.sizing.delete(node);
    if (total > this.limits.maxNodes && !isAlias(node))
      throw this.fail(
        `YAML expands to more than ${this.limits.maxNodes} values here (aliases nested into an "alias bomb"?)`,
        'compose.too-large',
        node,
        [],
      );
    this.sizes.set(node, total);
    return total;
  }

  convert(node: YamlNode | null, doc: Document.Parsed, depth: number): unknown {
    if (depth === 0) this.size(node, doc);
    if (node === null || node === undefined) return null;
    if (depth > this.limits.maxDepth)
      throw this.fail(
        `YAML is nested more than ${this.limits.maxDepth} levels deep`,
        'compose.too-deep',
        node,
        [...this.path.slice(0, 4), '…'],
      );
    const tag = node.tag;
    if (tag === '!reset' || tag === '!override') {
      const inner = this.plain(node, doc, depth);
      return new Tagged(tag === '!reset' ? 'reset' : 'override', inner);
    }
    return this.plain(node, doc, depth);
  }

  private plain(node: YamlNode, doc: Document.Parsed, depth: number): unknown {
    // expanded again on each use: size() bounds the cost, and no two places share an object
    if (isAlias(node)) return this.convert(this.target(node, doc), doc, depth + 1);
    if (isScalar(node)) return scalarValue(node.value, node.type, node.source);
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        this.path.push(i);
        out.push(this.convert(item as YamlNode | null, doc, depth + 1));
        this.path.pop();
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merges: YamlNode[] = [];
      for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[]) {
        const key = this.keyOf(pair.key, this.path);
        if (key === '<<' && (pair.key as { type?: string } | null)?.type === 'PLAIN') {
          if (pair.value) merges.push(pair.value);
          continue;
        }
        if (Object.hasOwn(out, key)) {
          const first = (node.items as Pair<YamlNode | null, YamlNode | null>[]).find(
            (p) => p !== pair && this.keyOf(p.key, this.path) === key,
          );
          const firstLine = first?.key?.range ? this.lines.linePos(first.key.range[0]).line : undefined;
          throw this.fail(
            `duplicate key "${key}"${firstLine ? ` (first defined on line ${firstLine})` : ''}`,
            'compose.duplicate-key',
            pair.key ?? node,
            [...this.path, key],
          );
        }
        this.path.push(key);
        put(out, key, this.convert(pair.value, doc, depth + 1));
        this.path.pop();
      }
      // `<<: *a` or `<<: [*a, *b]`: keys written in the map win, then earlier sources over later ones
      for (const merge of merges) {
        const sources = isSeq(merge) ? (merge.items as YamlNode[]) : [merge];
        for (const source of sources) {
          const value = this.convert(source, doc, depth + 1);
          if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tagged)
            throw this.fail('a merge key (<<) takes a map or a list of maps', 'compose.yaml-syntax', source);
          for (const [k, v] of Object.entries(value)) if (!Object.hasOwn(out, k)) put(out, k, v);
        }
      }
      return out;
    }
    throw this.fail('unsupported YAML node', 'compose.yaml-syntax', node);
  }

  private keyOf(key: YamlNode | null, path: Path): string {
    if (key === null || key === undefined) return 'null';
    if (isScalar(key)) {
      const v = scalarValue(key.value, key.type, key.source);
      return v === null ? 'null' : String(v);
    }
    throw this.fail('a map key must be a plain value, not a map or a list', 'compose.yaml-syntax', key, path);
  }
}

/** go-yaml reads a plain `0755` as octal (ParseInt with base 0); Compose files rely on it for modes. */
function scalarValue(value: unknown, type: string | undefined, source: string | undefined): unknown {
  if (type === 'PLAIN' && typeof value === 'number' && source !== undefined && /^[-+]?0[0-7]+$/.test(source))
    return Number.parseInt(source, 8);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** Offset of the node at `path` (or of its key), or of the deepest ancestor found, and its depth. */
function locateIn(
  doc: Document.Parsed,
  path: Path,
  wantKey: boolean,
): { offset: number; matched: number } | undefined {
  let node: unknown = doc.contents;
  const root = (node as YamlNode | null)?.range?.[0];
  if (root === undefined) return undefined;
  let best = { offset: root, matched: 0 };
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth]!;
    node = deref(node, doc);
    let next: YamlNode | null | undefined;
    let keyOffset: number | undefined;
    if (isSeq(node) && typeof segment === 'number') next = node.items[segment] as YamlNode | null | undefined;
    else if (isMap(node)) {
      const pair = findPair(node as never, String(segment), doc, 0);
      if (pair) {
        next = pair.value;
        keyOffset = (pair.key as YamlNode | null)?.range?.[0];
      }
    }
    const last = depth === path.length - 1;
    const valueOffset = next?.range?.[0];
    if (keyOffset === undefined && valueOffset === undefined) return best;
    const offset = (last && wantKey) || valueOffset === undefined ? (keyOffset ?? valueOffset!) : valueOffset;
    best = { offset, matched: depth + 1 };
    if (!next) return best;
    node = next;
  }
  return best;
}

function deref(node: unknown, doc: Document.Parsed): unknown {
  let current = node;
  for (let i = 0; i < 32 && isAlias(current); i++) current = current.resolve(doc);
  return current;
}

function findPair(
  map: { items: Pair<YamlNode | null, YamlNode | null>[] },
  key: string,
  doc: Document.Parsed,
  depth: number,
): Pair<YamlNode | null, YamlNode | null> | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair;
  }
  if (depth > 8) return undefined;
  for (const pair of map.items) {
    if (!isScalar(pair.key) || pair.key.value !== '<<') continue;
    const value = deref(pair.value, doc);
    const sources = isSeq(value) ? value.items.map((i) => deref(i, doc)) : [value];
    for (const source of sources) {
      if (isMap(source)) {
        const found = findPair(source as never, key, doc, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}
