/**
 * YAML for `config`: plain data (maps, lists, strings, numbers, booleans, null) in the layout Docker
 * Compose prints (two-space indent, lists indented under their key, `{}` and `[]` when empty, block
 * literals for multi-line strings). A string is written plain only when every YAML reader, 1.1 or
 * 1.2, reads it back as that same string; otherwise it is double-quoted. The `yaml` package's
 * stringify does the same job through a full document model, several times slower.
 */
export function emitYaml(value: unknown): string {
  const out: string[] = [];
  emitNode(value, 0, out, true);
  return out.join('');
}

function emitNode(value: unknown, indent: number, out: string[], topLevel = false): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
      return;
    }
    if (!topLevel) out.push('\n');
    const pad = ' '.repeat(indent);
    for (const item of value) {
      if (Array.isArray(item) && item.length > 0) {
        out.push(`${pad}-\n`);
        emitNode(item, indent + 2, out, true);
        continue;
      }
      out.push(`${pad}- `);
      if (isMap(item) && Object.keys(item).length > 0) emitMapEntries(item, indent + 2, out, true);
      else emitInline(item, indent + 2, out);
    }
    return;
  }
  if (isMap(value)) {
    if (Object.keys(value).length === 0) {
      out.push(' {}\n');
      return;
    }
    if (!topLevel) out.push('\n');
    emitMapEntries(value, indent, out, false);
    return;
  }
  out.push(' ');
  emitInline(value, indent, out);
}

/** Entries of a map; `continued`: the first key follows a `- ` already written. */
function emitMapEntries(
  map: Record<string, unknown>,
  indent: number,
  out: string[],
  continued: boolean,
): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const [key, v] of Object.entries(map)) {
    out.push(first && continued ? '' : pad, scalarText(key), ':');
    first = false;
    if (Array.isArray(v) && v.length > 0) {
      out.push('\n');
      emitNode(v, indent + 2, out, true);
    } else if (isMap(v) && Object.keys(v).length > 0) {
      out.push('\n');
      emitMapEntries(v, indent + 2, out, false);
    } else emitNode(v, indent + 2, out);
  }
}

function emitInline(value: unknown, indent: number, out: string[]): void {
  if (Array.isArray(value)) out.push('[]\n');
  else if (isMap(value)) out.push('{}\n');
  else if (typeof value === 'string' && value.includes('\n') && blockSafe(value))
    out.push(block(value, indent), '\n');
  else out.push(scalarText(value), '\n');
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : value > 0 ? '.inf' : value < 0 ? '-.inf' : '.nan';
  if (typeof value === 'boolean') return String(value);
  const text = String(value);
  return plainSafe(text) ? text : JSON.stringify(text);
}

/** Words YAML 1.1 or 1.2 reads as something other than a string. */
const RESERVED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=)$/;
const NUMBERISH =
  /^[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

function plainSafe(text: string): boolean {
  if (text === '' || text !== text.trim()) return false;
  if (RESERVED.test(text) || NUMBERISH.test(text) || TIMESTAMP.test(text)) return false;
  // characters that start something else in YAML, unless a dash or colon is glued to a word
  const first = text[0]!;
  if ('?:,[]{}#&*!|>\'"%@`'.includes(first)) return false;
  if ((first === '-' || first === '?' || first === ':') && (text.length === 1 || text[1] === ' '))
    return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  // control characters, non-breaking and line separators need escapes
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function blockSafe(text: string): boolean {
  return (
    !CONTROL_BUT_NEWLINE.test(text) &&
    !/ \n|\n /.test(text.replace(/\n+$/, '')) &&
    !text.startsWith(' ') &&
    !text.endsWith(' ')
  );
}

/** `|` literal block (`|-` without a final newline, `|+` to keep several). */
function block(text: string, indent: number): string {
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing > 1 ? text.slice(0, -1) : trailing === 1 ? text.slice(0, -1) : text;
  const pad = ' '.repeat(indent);
  return `|${chomp}\n${body
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n')}`;
}
