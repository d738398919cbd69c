import { parse as parseWords } from 'shell-quote';

/**
 * A shell script as the lint rules need it: its simple commands (words, line, nesting), its loops
 * (condition and whether the body can leave), its functions and heredoc bodies. It is not a full
 * shell parser: shell-quote splits the words of each logical line, and a small walk over the
 * keywords tracks `if/while/for/case/{ }` nesting, which is what "does it end in exec" and "is this
 * an endless loop" need.
 */

export interface SimpleCommand {
  /** Words with quotes removed; `$VAR` and `$(...)` are kept as text. */
  words: string[];
  /** 1-based line where the command starts. */
  line: number;
  /** How many compound commands (if, loops, case, braces, functions) enclose it. */
  depth: number;
  /** Run with `&`. */
  background: boolean;
  /** The function whose body holds it, when any. */
  inFunction?: string;
}

export interface Loop {
  keyword: 'while' | 'until' | 'for';
  /** The condition's words (`true`, `:`), or `((;;))` for an arithmetic for without bounds. */
  condition: string[];
  line: number;
  /** The body runs `break`, `exit`, `return` or `exec`: the loop can end. */
  canLeave: boolean;
  /** The loop's commands, the condition included. */
  commands: SimpleCommand[];
}

export interface ShellScript {
  commands: SimpleCommand[];
  loops: Loop[];
  /** Function name → its body's commands. */
  functions: Map<string, SimpleCommand[]>;
  /** Heredoc bodies (`cat <<EOF > file`), with the line of their first line. */
  heredocs: { text: string; line: number }[];
}

interface LogicalLine {
  text: string;
  line: number;
}

/** Physical lines → logical lines (backslash continuations joined), heredoc bodies set aside. */
function logicalLines(text: string, heredocs: ShellScript['heredocs']): LogicalLine[] {
  const physical = text.replace(/\r\n?/g, '\n').split('\n');
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    const current: LogicalLine = pending
      ? { text: `${pending.text}${raw}`, line: pending.line }
      : { text: raw, line: i + 1 };
    pending = undefined;
    if (/(^|[^\\])(\\\\)*\\$/.test(current.text) && !/^\s*#/.test(current.text)) {
      pending = { text: current.text.slice(0, -1), line: current.line };
      continue;
    }
    out.push(current);
    // heredocs opened on this line, in order: their bodies follow
    const opened = [...current.text.matchAll(/<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g)].filter(
      (m) => !isInsideQuotes(current.text, m.index),
    );
    for (const match of opened) {
      const dash = match[1] === '-';
      const delimiter = match[3]!;
      const body: string[] = [];
      const start = i + 2;
      while (i + 1 < physical.length) {
        i++;
        const candidate = dash ? physical[i]!.replace(/^\t+/, '') : physical[i]!;
        if (candidate === delimiter) break;
        body.push(physical[i]!);
      }
      heredocs.push({ text: body.join('\n'), line: start });
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** Whether position `at` of a line is inside single or double quotes (for `<<` in strings). */
function isInsideQuotes(text: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return true;
  }
  return quote !== undefined;
}

type Token = string | { op: string };

/** shell-quote's tokens, with `$(...)`, `$((...))` and `<(...)` folded back into the word they belong to. */
function tokens(text: string): Token[] {
  const raw = parseWords(text, (name) => `$${name}`) as (
    string | { op?: string; comment?: string; pattern?: string }
  )[];
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    if (typeof t === 'string') {
      const next = raw[i + 1];
      if (t.endsWith('$') && typeof next === 'object' && next.op === '(') {
        // command substitution: swallow up to the matching ')'
        let depth = 0;
        let word = t;
        for (i = i + 1; i < raw.length; i++) {
          const u = raw[i]!;
          if (typeof u === 'object' && u.op === '(') depth++;
          if (typeof u === 'object' && u.op === ')') depth--;
          word += typeof u === 'string' ? ` ${u}` : (u.op ?? '');
          if (depth === 0) break;
        }
        out.push(word);
        continue;
      }
      out.push(t);
    } else if (t.op === 'glob' && t.pattern !== undefined) out.push(t.pattern);
    else if (t.op !== undefined) out.push({ op: t.op });
    // comments end the line
    else if (t.comment !== undefined) break;
  }
  return out;
}

const REDIRECTS = new Set(['>', '>>', '<', '>&', '<&', '>|', '<>', '&>', '&>>']);
const SEPARATORS = new Set([';', '&&', '||', '|', '|&', '&', ';;', ';&', ';;&']);
const OPENERS = new Set(['if', 'while', 'until', 'for', 'case', 'select']);
const CLOSERS: Record<string, string> = { fi: 'if', done: 'loop', esac: 'case', '}': '{' };
const PREFIXES = new Set(['then', 'else', 'do', '!', 'time']);

/**
 * Removes case patterns (`mysqld|mariadbd)`, `*)`) from a line's tokens, and ends `case WORD in`
 * as a command of its own, so that patterns are never taken for commands.
 */
function dropCasePatterns(list: Token[]): Token[] {
  const out: Token[] = [];
  let segment = 0;
  let parens = 0;
  for (const t of list) {
    if (typeof t === 'object' && t.op === '(') parens++;
    if (typeof t === 'object' && t.op === ')') {
      if (parens > 0) parens--;
      else {
        const pattern = out.slice(segment);
        if (pattern.every((x) => typeof x === 'string' || x.op === '|')) out.length = segment;
        continue;
      }
    }
    out.push(t);
    if (typeof t === 'object' && SEPARATORS.has(t.op)) segment = out.length;
    else if (t === 'in' && out[segment] === 'case') {
      out.push({ op: ';' });
      segment = out.length;
    }
  }
  return out;
}

/** Splits one logical line's tokens into commands, words only (redirections dropped). */
function splitCommands(tokenList: Token[]): { words: string[]; background: boolean }[] {
  const list = dropCasePatterns(tokenList);
  const out: { words: string[]; background: boolean }[] = [];
  let words: string[] = [];
  const flush = (background: boolean) => {
    if (words.length) out.push({ words, background });
    words = [];
  };
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (typeof t === 'string') {
      // `2>&1`: the descriptor before a redirection is not a word
      const next = list[i + 1];
      if (/^\d+$/.test(t) && typeof next === 'object' && REDIRECTS.has(next.op)) continue;
      words.push(t);
      continue;
    }
    if (REDIRECTS.has(t.op)) {
      i++; // its target
      continue;
    }
    if (SEPARATORS.has(t.op)) {
      flush(t.op === '&');
      continue;
    }
    if (t.op === '(') {
      // `name()` defines a function; otherwise a subshell starts
      const next = list[i + 1];
      if (words.length === 1 && typeof next === 'object' && next.op === ')') {
        words.push('()');
        i++;
        flush(false);
        continue;
      }
      flush(false);
      continue;
    }
    if (t.op === ')') flush(false);
  }
  flush(false);
  return out;
}

export function parseShell(text: string): ShellScript {
  const script: ShellScript = { commands: [], loops: [], functions: new Map(), heredocs: [] };
  const lines = logicalLines(text, script.heredocs);
  // the compound commands open around the current command
  const stack: { kind: string; loop?: Loop; fn?: string }[] = [];
  let pendingFunction: string | undefined;
  const currentFunction = () => [...stack].reverse().find((s) => s.fn !== undefined)?.fn;

  for (const { text: line, line: lineNo } of lines) {
    if (/^\s*(#|$)/.test(line)) continue;
    const arithmeticFor = /(^|[;\s])for\s*\(\(\s*;\s*;\s*\)\)/.test(line);
    let list: Token[];
    try {
      list = tokens(line);
    } catch {
      continue;
    }
    for (const { words: all, background } of splitCommands(list)) {
      let words = all;
      // leading keywords: open or close compound commands, then the command itself
      for (;;) {
        const first = words[0];
        if (first === undefined) break;
        if (PREFIXES.has(first)) {
          words = words.slice(1);
          continue;
        }
        if (first === 'elif') {
          words = words.slice(1);
          continue;
        }
        if (first === 'function' && words[1]) {
          pendingFunction = words[1].replace(/\(\)$/, '');
          words = words.slice(2).filter((w) => w !== '()');
          continue;
        }
        if (words.length >= 2 && words[1] === '()') {
          pendingFunction = first;
          words = words.slice(2);
          continue;
        }
        if (first === '{') {
          stack.push({ kind: '{', ...(pendingFunction ? { fn: pendingFunction } : {}) });
          if (pendingFunction) script.functions.set(pendingFunction, []);
          pendingFunction = undefined;
          words = words.slice(1);
          continue;
        }
        if (OPENERS.has(first)) {
          if (first === 'while' || first === 'until' || first === 'for') {
            const condition = first === 'for' && arithmeticFor ? ['((;;))'] : words.slice(1);
            const loop: Loop = { keyword: first, condition, line: lineNo, canLeave: false, commands: [] };
            script.loops.push(loop);
            stack.push({ kind: 'loop', loop });
            if (first === 'for')
              words = []; // `for x in ...` has no command of its own
            else words = words.slice(1);
          } else {
            stack.push({ kind: first === 'select' ? 'loop' : first });
            words = first === 'if' ? words.slice(1) : [];
          }
          continue;
        }
        const closer = CLOSERS[first];
        if (closer) {
          for (let k = stack.length - 1; k >= 0; k--) {
            const kind = stack[k]!.kind;
            if (kind === closer || (closer === 'loop' && kind === 'loop')) {
              stack.length = k;
              break;
            }
          }
          words = words.slice(1);
          continue;
        }
        break;
      }
      if (words.length === 0) continue;
      const command: SimpleCommand = {
        words,
        line: lineNo,
        depth: stack.length,
        background,
      };
      const fn = currentFunction();
      if (fn) {
        command.inFunction = fn;
        script.functions.get(fn)?.push(command);
      }
      script.commands.push(command);
      for (const open of stack) {
        if (!open.loop) continue;
        open.loop.commands.push(command);
        if (['break', 'exit', 'return', 'exec'].includes(basename(words[0]!))) open.loop.canLeave = true;
      }
    }
  }
  return script;
}

export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

export function isShell(word: string): boolean {
  return SHELLS.has(basename(word));
}

/** A command that keeps a container alive without a daemon: `tail -f`, `sleep infinity`. */
export function keepAliveCommand(words: readonly string[]): string | undefined {
  const [first, ...rest] = words;
  if (first === undefined) return undefined;
  const name = basename(first);
  if (name === 'tail' && rest.some((w) => /^--follow/.test(w) || /^-[a-zA-Z0-9]*[fF]/.test(w)))
    return `tail ${rest.join(' ')}`.trim();
  if (name === 'sleep' && rest.some((w) => /^inf(inity)?$/i.test(w))) return `sleep ${rest.join(' ')}`;
  return undefined;
}

/** A loop that never ends on its own: `while true`, `while :`, `until false`, `for ((;;))`. */
export function isEndlessCondition(loop: Loop): boolean {
  const words = loop.condition.filter((w) => w !== 'do');
  const text = words.join(' ').trim();
  if (loop.keyword === 'for') return text === '((;;))';
  const always = /^(true|:|\/bin\/true|\/usr\/bin\/true|\[ 1 \]|\[ true \]|test 1|\(\( 1 \)\)|\[\[ 1 \]\])$/;
  const never = /^(false|\/bin\/false|\/usr\/bin\/false)$/;
  return loop.keyword === 'while' ? always.test(text) : never.test(text);
}

/**
 * The command a script ends with, following a call to one of its own functions (`main "$@"`) into
 * that function's last command. Commands after `exec` never run, so the first top-level exec ends it.
 */
export function finalCommand(script: ShellScript): SimpleCommand | undefined {
  const top = script.commands.filter((c) => c.inFunction === undefined);
  const firstExec = top.find((c) => c.depth === 0 && c.words[0] === 'exec' && c.words.length > 1);
  let last = firstExec ?? top[top.length - 1];
  for (let hops = 0; last && hops < 8; hops++) {
    const body = script.functions.get(last.words[0]!);
    if (!body?.length) break;
    last = body[body.length - 1];
  }
  return last;
}

/** `exec daemon ...` (an exec with only redirections does not replace the shell). */
export function isExec(command: SimpleCommand | undefined): boolean {
  return command !== undefined && command.words[0] === 'exec' && command.words.length > 1;
}
