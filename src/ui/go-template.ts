/**
 * The part of Go's text/template that Docker and Compose users write after `--format`:
 *
 *     {{.Name}}  {{.Service}}\t{{.State}}  {{json .}}  {{json .Publishers}}  {{join .Names ","}}
 *     {{.Label "com.docker.compose.service"}}  {{index .Labels "key"}}  {{upper .State}}
 *     {{if eq .State "running"}}up{{else}}down{{end}}  {{range .Publishers}}{{.PublishedPort}} {{end}}
 *     {{.Name | printf "%-20s"}}  {{- trim markers -}}  {{/* comments *\/}}
 *
 * Values print as Go prints them (`[a b]` for lists, `map[k:v]` for maps, `<no value>` for a missing
 * map key); a field the record does not have is an error that names the fields it does have.
 */
import { usageError } from '../core/errors.js';

export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly TemplateValue[]
  | { readonly [key: string]: TemplateValue }
  | ((...args: TemplateValue[]) => TemplateValue);

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline }
  | { kind: 'if' | 'with'; pipeline: Pipeline; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipeline: Pipeline; body: Node[]; otherwise: Node[] };

type Operand =
  | { kind: 'field'; root: 'dot' | 'dollar'; path: string[] }
  | { kind: 'literal'; value: TemplateValue }
  | { kind: 'ident'; name: string }
  | { kind: 'group'; pipeline: Pipeline };

type Command = Operand[];
type Pipeline = Command[];

export class Template {
  private constructor(
    private readonly nodes: Node[],
    readonly source: string,
  ) {}

  static parse(source: string): Template {
    return new Template(new Parser(source).parseAll(), source);
  }

  /** The template applied to one value. */
  execute(data: TemplateValue): string {
    return new Executor(data, this.source).run(this.nodes, data);
  }

  /** The fields the template reads at the top level (`Name` for `{{.Name}}`), in order. */
  fields(): string[] {
    const found: string[] = [];
    const visitPipeline = (pipeline: Pipeline) => {
      for (const command of pipeline)
        for (const operand of command) {
          if (operand.kind === 'field' && operand.path[0] && !found.includes(operand.path[0]))
            found.push(operand.path[0]);
          if (operand.kind === 'group') visitPipeline(operand.pipeline);
        }
    };
    const visit = (nodes: Node[]) => {
      for (const node of nodes) {
        if (node.kind === 'text') continue;
        visitPipeline(node.pipeline);
        if (node.kind === 'if' || node.kind === 'with') {
          visit(node.then);
          visit(node.otherwise);
        }
        if (node.kind === 'range') visit(node.otherwise);
      }
    };
    visit(this.nodes);
    return found;
  }
}

function templateError(source: string, message: string): Error {
  return usageError(
    `invalid --format template ${JSON.stringify(source)}: ${message}`,
    'see https://docs.docker.com/go/formatting/',
  );
}

// ---------------------------------------------------------------------------------------------------
// Parsing

type Token =
  { kind: 'text'; text: string } | { kind: 'action'; body: string; trimLeft: boolean; trimRight: boolean };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      tokens.push({ kind: 'text', text: source.slice(at) });
      break;
    }
    if (open > at) tokens.push({ kind: 'text', text: source.slice(at, open) });
    const close = findClose(source, open + 2);
    if (close < 0) throw templateError(source, 'unclosed action (a "{{" without "}}")');
    let body = source.slice(open + 2, close);
    const trimLeft = /^-\s/.test(body) || body === '-';
    const trimRight = /\s-$/.test(body);
    if (trimLeft) body = body.slice(1);
    if (trimRight) body = body.slice(0, -1);
    tokens.push({ kind: 'action', body: body.trim(), trimLeft, trimRight });
    at = close + 2;
  }
  // `{{-` eats the white space before it, `-}}` the white space after it
  tokens.forEach((token, i) => {
    if (token.kind !== 'action') return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (token.trimLeft && before?.kind === 'text') before.text = before.text.replace(/\s+$/, '');
    if (token.trimRight && after?.kind === 'text') after.text = after.text.replace(/^\s+/, '');
  });
  return tokens;
}

/** The index of the `}}` that closes an action, skipping quoted strings. */
function findClose(source: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && source[i + 1] === '}') return i;
  }
  return -1;
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Node[] {
    const { nodes, end } = this.parseList();
    if (end) throw templateError(this.source, `unexpected {{${end}}}`);
    return nodes;
  }

  /** Nodes up to the next `{{else}}` / `{{end}}` (returned as `end`) or the end of the template. */
  private parseList(): { nodes: Node[]; end?: 'else' | 'end' } {
    const nodes: Node[] = [];
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at++]!;
      if (token.kind === 'text') {
        if (token.text) nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const body = token.body;
      if (body.startsWith('/*')) continue;
      const keyword = /^(if|with|range|else|end)\b\s*(.*)$/s.exec(body);
      if (!keyword) {
        nodes.push({ kind: 'action', pipeline: this.parsePipeline(body) });
        continue;
      }
      const [, word, rest = ''] = keyword;
      if (word === 'end') return { nodes, end: 'end' };
      if (word === 'else') {
        if (rest) throw templateError(this.source, `"else ${rest}" is not supported; nest an {{if}} instead`);
        return { nodes, end: 'else' };
      }
      if (!rest) throw templateError(this.source, `{{${word}}} needs a value`);
      const pipeline = this.parsePipeline(rest);
      const first = this.parseList();
      let otherwise: Node[] = [];
      if (first.end === 'else') {
        const second = this.parseList();
        if (second.end !== 'end') throw templateError(this.source, `{{${word}}} has no {{end}}`);
        otherwise = second.nodes;
      } else if (first.end !== 'end') throw templateError(this.source, `{{${word}}} has no {{end}}`);
      if (word === 'range') nodes.push({ kind: 'range', pipeline, body: first.nodes, otherwise });
      else nodes.push({ kind: word as 'if' | 'with', pipeline, then: first.nodes, otherwise });
    }
    return { nodes };
  }

  private parsePipeline(text: string): Pipeline {
    const words = this.lex(text);
    let i = 0;
    const pipeline = (): Pipeline => {
      const commands: Pipeline = [[]];
      while (i < words.length) {
        const word = words[i]!;
        if (word === ')') break;
        i++;
        if (word === '|') {
          commands.push([]);
          continue;
        }
        const current = commands[commands.length - 1]!;
        if (word === '(') {
          current.push({ kind: 'group', pipeline: pipeline() });
          if (words[i++] !== ')') throw templateError(this.source, 'unclosed "("');
          continue;
        }
        current.push(this.operand(word));
      }
      if (commands.some((c) => c.length === 0))
        throw templateError(this.source, `empty command in "${text}"`);
      return commands;
    };
    const result = pipeline();
    if (i < words.length) throw templateError(this.source, `unexpected "${words[i]}" in "${text}"`);
    return result;
  }

  private lex(text: string): string[] {
    const words: string[] = [];
    const pattern = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|[()|]|[^\s()|]+)/gy;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) if (match[1]) words.push(match[1]);
    return words;
  }

  private operand(word: string): Operand {
    if (word === '.') return { kind: 'field', root: 'dot', path: [] };
    if (word === '$') return { kind: 'field', root: 'dollar', path: [] };
    if (word.startsWith('$.')) return { kind: 'field', root: 'dollar', path: word.slice(2).split('.') };
    if (word.startsWith('.')) return { kind: 'field', root: 'dot', path: word.slice(1).split('.') };
    if (word.startsWith('"')) return { kind: 'literal', value: JSON.parse(word) as string };
    if (word.startsWith('`')) return { kind: 'literal', value: word.slice(1, -1) };
    if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'literal', value: Number(word) };
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'nil') return { kind: 'literal', value: null };
    if (/^[A-Za-z_]\w*$/.test(word)) return { kind: 'ident', name: word };
    throw templateError(this.source, `cannot read "${word}"`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Execution

const noValue = '<no value>';

function isMap(value: TemplateValue): value is { readonly [key: string]: TemplateValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go's truth: false, 0, "", nil and empty lists and maps are false. */
function truthy(value: TemplateValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** A value as Go's `{{.}}` (fmt's %v) prints it. */
export function printValue(value: TemplateValue): string {
  if (value === undefined) return noValue;
  if (value === null) return '<nil>';
  if (typeof value === 'function') return '<func>';
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  if (isMap(value))
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${printValue(value[k])}`)
      .join(' ')}]`;
  return String(value);
}

function toJson(value: TemplateValue): string {
  return JSON.stringify(value === undefined ? null : value) ?? 'null';
}

/** Go's printf for the verbs people use: %s %v %d %q %f with width, `-` and precision. */
function printf(format: string, args: TemplateValue[]): string {
  let next = 0;
  return format.replace(
    /%([-0]?)(\d*)(?:\.(\d+))?([svdqf%])/g,
    (_m, flag: string, width: string, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      const arg = args[next++];
      let text: string;
      if (verb === 'q') text = JSON.stringify(printValue(arg));
      else if (verb === 'd') text = String(Math.trunc(Number(arg)));
      else if (verb === 'f') text = Number(arg).toFixed(precision === undefined ? 6 : Number(precision));
      else {
        text = printValue(arg);
        if (precision !== undefined) text = text.slice(0, Number(precision));
      }
      const w = Number(width || 0);
      if (text.length >= w) return text;
      return flag === '-' ? text.padEnd(w) : text.padStart(w, flag === '0' ? '0' : ' ');
    },
  );
}

function compare(a: TemplateValue, b: TemplateValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return printValue(a) < printValue(b) ? -1 : printValue(a) > printValue(b) ? 1 : 0;
}

const functions: Record<string, (...args: TemplateValue[]) => TemplateValue> = {
  json: (v) => toJson(v),
  join: (list, sep) => (Array.isArray(list) ? list.map(printValue).join(printValue(sep)) : printValue(list)),
  split: (s, sep) => printValue(s).split(printValue(sep)),
  upper: (s) => printValue(s).toUpperCase(),
  lower: (s) => printValue(s).toLowerCase(),
  title: (s) => printValue(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  truncate: (s, n) => [...printValue(s)].slice(0, Number(n)).join(''),
  pad: (s, before, after) => `${' '.repeat(Number(before))}${printValue(s)}${' '.repeat(Number(after))}`,
  len: (v) => (Array.isArray(v) ? v.length : isMap(v) ? Object.keys(v).length : printValue(v).length),
  index: (v, ...keys) => {
    let current: TemplateValue = v;
    for (const key of keys) {
      if (Array.isArray(current)) current = (current as TemplateValue[])[Number(key)];
      else if (isMap(current)) current = current[printValue(key)];
      else return undefined;
    }
    return current;
  },
  print: (...args) => args.map(printValue).join(''),
  println: (...args) => `${args.map(printValue).join(' ')}\n`,
  printf: (format, ...args) => printf(printValue(format), args),
  not: (v) => !truthy(v),
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
  eq: (a, ...bs) => bs.some((b) => compare(a, b) === 0),
  ne: (a, b) => compare(a, b) !== 0,
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
};

class Executor {
  constructor(
    private readonly root: TemplateValue,
    private readonly source: string,
  ) {}

  run(nodes: Node[], dot: TemplateValue): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'action':
          out += printValue(this.pipeline(node.pipeline, dot));
          break;
        case 'if':
        case 'with': {
          const value = this.pipeline(node.pipeline, dot);
          if (truthy(value)) out += this.run(node.then, node.kind === 'with' ? value : dot);
          else out += this.run(node.otherwise, dot);
          break;
        }
        case 'range': {
          const value = this.pipeline(node.pipeline, dot);
          const items = Array.isArray(value)
            ? (value as TemplateValue[])
            : isMap(value)
              ? Object.keys(value)
                  .sort()
                  .map((k) => value[k])
              : [];
          if (items.length === 0) out += this.run(node.otherwise, dot);
          for (const item of items) out += this.run(node.body, item);
          break;
        }
      }
    }
    return out;
  }

  private pipeline(pipeline: Pipeline, dot: TemplateValue): TemplateValue {
    let previous: TemplateValue | typeof none = none;
    for (const command of pipeline) previous = this.command(command, dot, previous);
    return previous === none ? undefined : previous;
  }

  private command(command: Command, dot: TemplateValue, piped: TemplateValue | typeof none): TemplateValue {
    const [head, ...rest] = command;
    if (!head) return undefined;
    const args = rest.map((operand) => this.operand(operand, dot));
    if (piped !== none) args.push(piped);
    if (head.kind === 'ident') {
      const fn = functions[head.name];
      if (!fn)
        throw templateError(
          this.source,
          `function "${head.name}" not defined (known: ${Object.keys(functions).join(', ')})`,
        );
      return fn(...args);
    }
    const value = this.operand(head, dot);
    if (typeof value === 'function') return value(...args);
    if (args.length > 0)
      throw templateError(this.source, `${describe(head)} is not a function, it takes no arguments`);
    return value;
  }

  private operand(operand: Operand, dot: TemplateValue): TemplateValue {
    switch (operand.kind) {
      case 'literal':
        return operand.value;
      case 'group':
        return this.pipeline(operand.pipeline, dot);
      case 'ident': {
        const fn = functions[operand.name];
        if (!fn) throw templateError(this.source, `function "${operand.name}" not defined`);
        return fn();
      }
      case 'field': {
        let value = operand.root === 'dot' ? dot : this.root;
        for (const [i, name] of operand.path.entries()) {
          if (!isMap(value)) {
            if (value === undefined || value === null) return undefined;
            throw templateError(
              this.source,
              `cannot read field "${name}" of ${describe(operand, i)}, which is not a record`,
            );
          }
          if (!(name in value)) {
            // records are data with fixed fields: a missing one is a typo, like Go's struct error;
            // maps (labels) answer <no value>, as in Go
            if (isRecord(value)) {
              const known = Object.keys(value).filter((k) => typeof k === 'string' && /^[A-Z]/.test(k));
              throw templateError(this.source, `there is no field "${name}" (fields: ${known.join(', ')})`);
            }
            return undefined;
          }
          value = value[name];
        }
        return value;
      }
    }
  }
}

const none = Symbol('none');

function describe(operand: Operand, upTo?: number): string {
  if (operand.kind === 'field') {
    const path = upTo === undefined ? operand.path : operand.path.slice(0, upTo);
    return `${operand.root === 'dot' ? '' : '$'}.${path.join('.')}`;
  }
  if (operand.kind === 'ident') return operand.name;
  return 'value';
}

/** Records (ps rows, images…) have capitalized field names, as Go structs do; maps (labels) don't. */
function isRecord(value: { readonly [key: string]: TemplateValue }): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => /^[A-Z]/.test(k));
}
