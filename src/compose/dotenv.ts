import { substitute, TemplateError, type Lookup } from './interpolate.js';

/**
 * `.env`, `--env-file` and `env_file:` syntax as Docker Compose reads it (compose-go's dotenv).
 *
 * Not the npm `dotenv` package: its rules differ from Compose's where users notice. It interpolates
 * nothing (Compose expands `${VAR:-default}` in unquoted and double-quoted values), it quotes with
 * backticks, it expands only `\n` in double quotes (Compose: `\n \t \r \\ \" \$`, `\0NNN`…), and it
 * knows neither `KEY: value` lines nor a bare `KEY` that takes its value from the environment.
 *
 * - `# comment` lines and blank lines are skipped; `export KEY=value` is `KEY=value`.
 * - unquoted: up to the end of the line, minus a ` #` comment and trailing spaces; interpolated.
 * - `'single'`: literal, may span lines, `\'` is a quote.
 * - `"double"`: may span lines; escapes, then interpolation (`\$` is a literal `$`).
 * - a bare `KEY` takes the value of KEY from `lookup`, and is left out when it has none.
 * Interpolation looks up `lookup` first, then the keys defined earlier in the same file.
 */

export class DotenvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseDotenv(text: string, lookup: Lookup = () => undefined): Map<string, string> {
  const vars = new Map<string, string>();
  const resolve: Lookup = (name) => lookup(name) ?? vars.get(name);
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  let line = 1;
  while (i < src.length) {
    // skip blank space and comment lines
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
      continue;
    }
    const statementLine = line;
    if (src.startsWith('export ', i) || src.startsWith('export\t', i)) i += 7;
    while (src[i] === ' ' || src[i] === '\t') i++;

    // the key: letters, digits, `_ . - [ ]`, up to `=` or `:` (or the end of the line: inherited)
    const keyStart = i;
    let separator = -1;
    while (i < src.length && src[i] !== '\n') {
      const ch = src[i]!;
      if (ch === '=' || ch === ':') {
        separator = i;
        break;
      }
      if (!/[\p{L}\p{N}_.\-[\]\s]/u.test(ch))
        // the line is not quoted back: it may be the rest of a password that spans lines
        throw new DotenvError(`unexpected character ${visible(ch)} in a variable name`, statementLine);
      i++;
    }
    const key = src.slice(keyStart, separator < 0 ? i : separator).trim();
    if (/\s/.test(key)) throw new DotenvError('unexpected character " " in a variable name', statementLine);
    if (separator < 0) {
      if (key !== '') {
        const inherited = lookup(key);
        if (inherited !== undefined) vars.set(key, inherited);
      }
      continue;
    }
    if (key === '')
      throw new DotenvError('a line starts with "=" or ":" but names no variable', statementLine);
    i = separator + 1;
    while (src[i] === ' ' || src[i] === '\t') i++;

    const quote = src[i];
    if (quote === '"' || quote === "'") {
      let chars = '';
      let escaped = false;
      let closed = -1;
      for (let j = i + 1; j < src.length; j++) {
        const ch = src[j]!;
        if (ch === '\n') line++;
        if (ch !== quote) {
          if (!escaped && ch === '\\') {
            escaped = true;
            continue;
          }
          if (escaped) {
            escaped = false;
            chars += '\\';
          }
          chars += ch;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += ch;
          continue;
        }
        closed = j;
        break;
      }
      if (closed < 0) throw new DotenvError(`unterminated quoted value for ${key}`, statementLine);
      let value = chars;
      if (quote === '"') value = expand(expandEscapes(value), resolve, statementLine, key);
      vars.set(key, value);
      // whatever follows the closing quote on its line (a comment) is ignored
      const end = src.indexOf('\n', closed);
      i = end < 0 ? src.length : end;
      continue;
    }
    const end = src.indexOf('\n', i);
    let raw = src.slice(i, end < 0 ? undefined : end);
    i = end < 0 ? src.length : end;
    const comment = raw.indexOf(' #');
    if (comment >= 0) raw = raw.slice(0, comment);
    raw = raw.replace(/\s+$/u, '');
    vars.set(key, expand(raw, resolve, statementLine, key));
  }
  return vars;
}

function expand(value: string, lookup: Lookup, line: number, key: string): string {
  try {
    return substitute(value, lookup);
  } catch (error) {
    // the value is not quoted back: an env file holds passwords, which error text must not show
    if (error instanceof TemplateError)
      throw new DotenvError(
        error.kind !== 'invalid'
          ? error.message
          : error.message.startsWith('interpolation nested')
            ? `${error.message.replace(/ in ".*$/s, '')} in the value of ${key}`
            : `invalid interpolation format in the value of ${key} (write $$ for a literal $)`,
        line,
      );
    throw error;
  }
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Shell-like escapes of a double-quoted value; `\$` becomes `$$` so interpolation keeps a `$`. */
function expandEscapes(value: string): string {
  return value.replace(/\\(0[0-7]{1,3}|[\s\S])/g, (_match, seq: string) => {
    if (seq === '$') return '$$';
    if (seq.length > 1) return String.fromCharCode(Number.parseInt(seq.slice(1), 8));
    return ESCAPES[seq] ?? seq;
  });
}

/** A character as an error shows it: control and invisible ones by their code point. */
function visible(ch: string): string {
  return /\p{C}/u.test(ch) ? `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`;
}
