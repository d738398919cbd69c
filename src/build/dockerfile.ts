/**
 * Just enough of the Dockerfile syntax to know, without the engine, which images a build starts
 * from (so that a service whose image is another's FROM builds first) and on which line the classic
 * builder's "Step N/M" stands (so that a failure points at the file). The engine stays the parser
 * that decides; this one only reads.
 */

export interface Instruction {
  /** Upper case: `FROM`, `RUN`, ... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

/** `# escape=` ` (or `\`) among the leading comment lines; anything else ends the directives. */
function escapeCharOf(lines: string[]): string {
  for (const line of lines) {
    const m = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!m) return '\\';
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) return m[2];
  }
  return '\\';
}

/**
 * The Dockerfile with one `LABEL "k"="v" ...` line appended: the classic builder turns the `labels`
 * query parameter into one step (and one container) per label, this costs one step in all. Values
 * are double-quoted with `"`, `$` and the escape character escaped, so nothing is substituted.
 * Undefined when a line cannot carry them (a newline in a key or value, `=` in a key, or a last line
 * that continues onto the next).
 */
export function withLabelInstruction(
  text: string,
  labels: Readonly<Record<string, string>>,
): string | undefined {
  const entries = Object.entries(labels);
  if (entries.length === 0) return text;
  const lines = text.split(/\r?\n/);
  const escape = escapeCharOf(lines);
  if (entries.some(([k, v]) => /[\r\n=]/.test(k) || /[\r\n]/.test(v))) return undefined;
  const last = lines.findLast((line) => line.trim() !== '');
  if (last !== undefined && last.trimEnd().endsWith(escape)) return undefined;
  const quote = (word: string) =>
    `"${[...word].map((c) => (c === '"' || c === '$' || c === escape ? escape + c : c)).join('')}"`;
  const label = `LABEL ${entries.map(([k, v]) => `${quote(k)}=${quote(v)}`).join(' ')}\n`;
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${label}`;
}

/** The instructions of a Dockerfile in order, the way the classic builder counts its steps. */
export function parseInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = escapeCharOf(lines);
  const out: Instruction[] = [];
  let current: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // comment lines are dropped, even in the middle of a continued instruction
    if (trimmed.startsWith('#')) return;
    if (!current) {
      if (!trimmed) return;
      current = { parts: [], line: index + 1 };
    } else if (!trimmed) {
      return;
    }
    const continued = trimmed.endsWith(escape);
    current.parts.push(continued ? trimmed.slice(0, -1).trim() : trimmed);
    if (!continued) {
      const joined = current.parts.filter(Boolean).join(' ');
      const m = /^(\S+)\s*(.*)$/.exec(joined);
      if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: current.line });
      current = undefined;
    }
  });
  if (current) {
    const joined = current.parts.filter(Boolean).join(' ');
    const m = /^(\S+)\s*(.*)$/.exec(joined);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: current.line });
  }
  return out;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alternative}` from `vars`; unknown names give "". */
export function substituteArgs(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _m,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const name = (braced ?? bare)!;
      const value = vars[name];
      if (op === '-') return value ? value : (word ?? '');
      if (op === '+') return value ? (word ?? '') : '';
      return value ?? '';
    },
  );
}

/** Strips surrounding quotes from an ARG default, as the builder does. */
function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

/**
 * The external images a build reads: every `FROM` that is not an earlier stage (nor `scratch`) and
 * every `COPY --from=` that names an image. ARGs declared before the first FROM are substituted,
 * their defaults overridden by the build args, as the builder does.
 */
export function referencedImages(text: string, buildArgs: Readonly<Record<string, string>> = {}): string[] {
  const metaArgs: Record<string, string> = {};
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  const add = (ref: string) => {
    if (ref && ref.toLowerCase() !== 'scratch' && !stages.has(ref.toLowerCase()) && !images.includes(ref))
      images.push(ref);
  };
  for (const { keyword, args } of parseInstructions(text)) {
    if (keyword === 'ARG' && !seenFrom) {
      for (const declaration of args.split(/\s+/).filter(Boolean)) {
        const eq = declaration.indexOf('=');
        const name = eq >= 0 ? declaration.slice(0, eq) : declaration;
        const fallback = eq >= 0 ? unquote(declaration.slice(eq + 1)) : undefined;
        const value = buildArgs[name] ?? fallback;
        if (value !== undefined) metaArgs[name] = value;
      }
    } else if (keyword === 'FROM') {
      seenFrom = true;
      const words = args.split(/\s+/).filter((w) => w && !w.startsWith('--'));
      const image = substituteArgs(words[0] ?? '', metaArgs);
      add(image);
      if (words[1]?.toLowerCase() === 'as' && words[2]) stages.add(words[2].toLowerCase());
    } else if (keyword === 'COPY') {
      const from = /(?:^|\s)--from=(\S+)/.exec(args)?.[1];
      if (from && !/^\d+$/.test(from)) add(substituteArgs(unquote(from), metaArgs));
    }
  }
  return images;
}

/**
 * One spelling per image reference, so that `debian`, `debian:latest` and
 * `docker.io/library/debian:latest` compare equal.
 */
export function normalizeImageRef(ref: string): string {
  let name = ref.trim();
  const at = name.indexOf('@');
  const digest = at >= 0 ? name.slice(at) : '';
  if (at >= 0) name = name.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  if (name.lastIndexOf(':') <= lastSlash && !digest) name += ':latest';
  name = name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  name = name.replace(/^library\//, '');
  return name + digest;
}
