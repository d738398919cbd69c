import { PathIssue } from './issue.js';
import { Tagged } from './parse-yaml.js';
import {
  extend,
  formatPath,
  isPlainMap,
  put,
  toPath,
  trailOf,
  type Path,
  type PlainMap,
  type Trail,
} from './path.js';
import type { Schema } from './schema.js';
import { parseBoolean } from './units.js';

/**
 * Phase 3: one file's interpolated tree against the schema (schema.ts). Returns the tree with numbers
 * and booleans cast from strings; throws a PathIssue naming the first wrong place, with a
 * "did you mean" for misspelt keys.
 */
export interface ValidateContext {
  warn(message: string): void;
  /** Not interpolated: a `${…}` string stands in for any scalar. */
  templates?: boolean;
}

const silent: ValidateContext = { warn: () => undefined };

export function validateTree(
  value: unknown,
  schema: Schema,
  path: Path = [],
  ctx: ValidateContext = silent,
): unknown {
  return walk(value, schema, trailOf(path), ctx);
}

function walk(value: unknown, schema: Schema, trail: Trail, ctx: ValidateContext): unknown {
  const path = () => toPath(trail);
  if (value instanceof Tagged) {
    // a reset value is dropped whatever it holds
    return value.tag === 'reset' ? value : new Tagged(value.tag, walk(value.value, schema, trail, ctx));
  }
  if (ctx.templates && typeof value === 'string' && value.includes('$') && isScalarKind(schema)) return value;
  switch (schema.kind) {
    case 'any':
      return value;
    case 'nullable':
      return value === null ? null : walk(value, schema.schema, trail, ctx);
    case 'string':
      if (typeof value === 'string') return value;
      throw typeIssue(path(), value, 'a string');
    case 'number': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n) || (schema.integer && !Number.isInteger(n)))
        throw typeIssue(path(), value, schema.integer ? 'a whole number' : 'a number');
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const b = typeof value === 'string' ? parseBoolean(value) : undefined;
      if (b === undefined) throw typeIssue(path(), value, 'true or false');
      if (b.legacy)
        ctx.warn(
          `${formatPath(path())}: "${String(value)}" for a boolean is YAML 1.1; write ${String(b.value)}`,
        );
      return b.value;
    }
    case 'scalar':
      if (typeof value === 'number' && !Number.isFinite(value))
        throw typeIssue(path(), value, 'a finite number');
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
      throw typeIssue(path(), value, 'a string, a number or a boolean');
    case 'enum':
      if (typeof value === 'string' && schema.values.includes(value)) return value;
      throw new PathIssue(
        `${formatPath(path())} must be one of ${schema.values.map((v) => `"${v}"`).join(', ')}, not ${describe(value)}`,
        'compose.invalid-value',
        path(),
        suggestion(String(value), schema.values),
      );
    case 'list':
      if (!Array.isArray(value)) throw typeIssue(path(), value, 'a list');
      return value.map((item, i) => walk(item, schema.items, extend(trail, i), ctx));
    case 'dict': {
      if (!isPlainMap(value)) throw typeIssue(path(), value, 'a map');
      const out: PlainMap = {};
      for (const [k, v] of Object.entries(value)) {
        if (schema.keys && !schema.keys.test(k))
          throw new PathIssue(
            `invalid name "${k}" in ${formatPath(path())}: use only letters, digits, ".", "_" and "-"`,
            'compose.invalid-name',
            [...path(), k],
            undefined,
            true,
          );
        put(out, k, walk(v, schema.values, extend(trail, k), ctx));
      }
      return out;
    }
    case 'object': {
      if (!isPlainMap(value)) throw typeIssue(path(), value, 'a map');
      const out: PlainMap = {};
      for (const [k, v] of Object.entries(value)) {
        const prop = schema.props[k];
        if (prop) put(out, k, walk(v, prop, extend(trail, k), ctx));
        else if (schema.extensions && k.startsWith('x-')) put(out, k, v);
        else
          throw new PathIssue(
            `unknown key "${k}"${trail ? ` in ${formatPath(path())}` : ''}`,
            'compose.unknown-key',
            [...path(), k],
            suggestion(k, Object.keys(schema.props)) ??
              'remove it, or prefix it with x- to keep it as an extension',
            true,
          );
      }
      for (const k of schema.required ?? [])
        if (!Object.hasOwn(value, k))
          throw new PathIssue(
            `${formatPath(path())} is missing the required key "${k}"`,
            'compose.missing-key',
            path(),
          );
      return out;
    }
    case 'oneOf': {
      const fitting = schema.options.filter((o) => sameKind(o, value));
      for (const option of fitting.length ? fitting : schema.options) {
        try {
          return walk(value, option, trail, ctx);
        } catch (error) {
          // the only option of the value's own kind explains the problem best
          if (fitting.length === 1 && error instanceof PathIssue) throw error;
        }
      }
      throw typeIssue(path(), value, schema.expected);
    }
  }
}

function isScalarKind(schema: Schema): boolean {
  return (
    schema.kind === 'number' ||
    schema.kind === 'boolean' ||
    schema.kind === 'enum' ||
    schema.kind === 'scalar'
  );
}

function sameKind(schema: Schema, value: unknown): boolean {
  switch (schema.kind) {
    case 'list':
      return Array.isArray(value);
    case 'object':
    case 'dict':
      return isPlainMap(value);
    case 'nullable':
      return value === null || sameKind(schema.schema, value);
    case 'oneOf':
      return schema.options.some((o) => sameKind(o, value));
    case 'any':
      return true;
    default:
      return value !== null && typeof value !== 'object';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainMap(value)) return 'a map';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

function typeIssue(path: Path, value: unknown, expected: string): PathIssue {
  return new PathIssue(
    `${formatPath(path) || 'the file'} must be ${expected}, not ${describe(value)}`,
    'compose.invalid-type',
    path,
  );
}

/** `did you mean "ports"?` for the closest known word, when one is close enough. */
export function suggestion(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? `did you mean "${best}"?` : undefined;
}

/** Damerau–Levenshtein distance (a swap of two neighbours counts as one edit: prots → ports). */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
