/**
 * Splits `command:` / `entrypoint:` strings into words the way Compose does (go-shellwords with its
 * defaults): blanks separate words, quotes group them, `\` escapes the next character outside single
 * quotes, no variable expansion, and an unquoted `;`, `&`, `|`, `<` or `>` ends the command (Compose
 * silently drops the rest, so we return it to warn about it). shell-quote differs: it turns operators
 * into tokens and expands `$VAR`.
 */
export function splitShellWords(text: string): { words: string[]; dropped?: string; unterminated?: boolean } {
  const words: string[] = [];
  let buf = '';
  let inWord = false;
  let escaped = false;
  let single = false;
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (escaped) {
      buf += c;
      escaped = false;
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (single) buf += c;
      else escaped = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (single || double) buf += c;
      else if (inWord) {
        words.push(buf);
        buf = '';
        inWord = false;
      }
      continue;
    }
    if (c === "'" && !double) {
      single = !single;
      inWord = true;
      continue;
    }
    if (c === '"' && !single) {
      double = !double;
      inWord = true;
      continue;
    }
    if (!single && !double && ';&|<>'.includes(c)) {
      if (inWord) words.push(buf);
      return { words, dropped: text.slice(i) };
    }
    buf += c;
    inWord = true;
  }
  if (single || double || escaped) return { words, unterminated: true };
  if (inWord) words.push(buf);
  return { words };
}
