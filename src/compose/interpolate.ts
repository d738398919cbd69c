import { Tagged } from './parse-yaml.js';
import { extend, put, toPath, trailOf, type Path, type Trail } from './path.js';

/**
 * Phase 2: `${VAR}` substitution in values (never in keys), as the Compose Specification defines it:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alternate}`, `${VAR+alternate}`, defaults that nest further templates, and `$$` for a
 * literal `$`. A `$` followed by anything else stays as written.
 */

export type Lookup = (name: string) => string | undefined;

/** A template the user wrote wrong, or a required variable that is missing. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'required',
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export interface SubstituteOptions {
  /** Called once per unset variable that had no default (Compose warns and uses ""). */
  onUnset?: (name: string) => void;
}

/** Defaults within defaults (`${A:-${B:-x}}`) deeper than this are refused, not a stack overflow. */
export const MAX_TEMPLATE_NESTING = 32;

export function substitute(
  template: string,
  lookup: Lookup,
  options: SubstituteOptions = {},
  depth = 0,
): string {
  if (!template.includes('$')) return template;
  if (depth > MAX_TEMPLATE_NESTING)
    throw new TemplateError(
      `interpolation nested more than ${MAX_TEMPLATE_NESTING} levels deep (the limit) in ${quote(template)}`,
      'invalid',
    );
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < template.length && NAME_CHAR.test(template[j]!)) j++;
      const name = template.slice(i + 1, j);
      const value = lookup(name);
      if (value === undefined) options.onUnset?.(name);
      out += value ?? '';
      i = j;
    } else if (next === '{') {
      const close = closingBrace(template, i + 2);
      if (close < 0) throw invalid(template);
      out += braced(template.slice(i + 2, close), template, lookup, options, depth);
      i = close + 1;
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` opened before `from`, counting nested `${ … }`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(
  body: string,
  template: string,
  lookup: Lookup,
  options: SubstituteOptions,
  depth: number,
): string {
  let j = 0;
  if (!NAME_START.test(body[0] ?? '')) throw invalid(template);
  while (j < body.length && NAME_CHAR.test(body[j]!)) j++;
  const name = body.slice(0, j);
  const rest = body.slice(j);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) options.onUnset?.(name);
    return value ?? '';
  }
  const colon = rest[0] === ':';
  const op = colon ? rest[1] : rest[0];
  const arg = rest.slice(colon ? 2 : 1);
  // with a colon, an empty value counts as unset
  const missing = value === undefined || (colon && value === '');
  switch (op) {
    case '-':
      return missing ? substitute(arg, lookup, options, depth + 1) : value!;
    case '+':
      return missing ? '' : substitute(arg, lookup, options, depth + 1);
    case '?':
      if (missing) {
        const message = substitute(arg, lookup, options, depth + 1);
        throw new TemplateError(
          `required variable ${name} is missing a value${message ? `: ${message}` : ''}`,
          'required',
        );
      }
      return value!;
    default:
      throw invalid(template);
  }
}

/** A template as an error quotes it: a long one is cut, so that the headline stays one line. */
const quote = (template: string) =>
  JSON.stringify(template.length > 80 ? `${template.slice(0, 80)}…` : template);

const invalid = (template: string) =>
  new TemplateError(`invalid interpolation format for ${quote(template)}`, 'invalid');

/** Where a template failed: the error and the path of the value that held it. */
export class InterpolationError extends Error {
  constructor(
    readonly template: TemplateError,
    readonly path: Path,
  ) {
    super(template.message);
  }
}

/**
 * Substitutes every string value of a tree (keys stay as written), returning a new tree.
 * `unset` collects the names of variables that were used without a value or default.
 */
export function interpolateTree(
  value: unknown,
  lookup: Lookup,
  unset: Set<string>,
  path: Path = [],
): unknown {
  return interpolateWalk(value, lookup, unset, trailOf(path));
}

function interpolateWalk(value: unknown, lookup: Lookup, unset: Set<string>, trail: Trail): unknown {
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    try {
      return substitute(value, lookup, { onUnset: (name) => unset.add(name) });
    } catch (error) {
      if (error instanceof TemplateError) throw new InterpolationError(error, toPath(trail));
      throw error;
    }
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolateWalk(item, lookup, unset, extend(trail, i)));
  if (value instanceof Tagged)
    return new Tagged(value.tag, interpolateWalk(value.value, lookup, unset, trail));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      put(out, k, interpolateWalk(v, lookup, unset, extend(trail, k)));
    return out;
  }
  return value;
}

/** A variable a compose file uses, as `config --variables` lists it. */
export interface VariableUse {
  name: string;
  required: boolean;
  defaultValue?: string;
  alternateValue?: string;
}

/** Every variable named in the strings of a tree (keys excluded), with its default or alternate. */
export function extractVariables(
  value: unknown,
  into: Map<string, VariableUse> = new Map(),
): Map<string, VariableUse> {
  if (typeof value === 'string') {
    if (value.includes('$')) scanTemplate(value, into);
  } else if (Array.isArray(value)) for (const v of value) extractVariables(v, into);
  else if (value instanceof Tagged) extractVariables(value.value, into);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) extractVariables(v, into);
  return into;
}

function scanTemplate(template: string, into: Map<string, VariableUse>, depth = 0): void {
  const record = (use: VariableUse) => {
    if (!into.has(use.name)) into.set(use.name, use);
  };
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '$') continue;
    const next = template[i + 1];
    if (next === '$') {
      i++;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < template.length && NAME_CHAR.test(template[j]!)) j++;
      record({ name: template.slice(i + 1, j), required: false });
      i = j - 1;
    } else if (next === '{') {
      const close = closingBrace(template, i + 2);
      if (close < 0) return;
      const body = template.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+?])([\s\S]*))?$/.exec(body);
      if (m) {
        const [, name, , op, arg] = m;
        const use: VariableUse = { name: name!, required: op === '?' };
        if (op === '-') use.defaultValue = arg;
        if (op === '+') use.alternateValue = arg;
        record(use);
        // defaults and alternates may name variables too (as deep as substitute reads them)
        if (arg && depth < MAX_TEMPLATE_NESTING) scanTemplate(arg, into, depth + 1);
      }
      i = close;
    }
  }
}
