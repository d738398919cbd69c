/**
 * Line-level readings of configuration text that several rules share: password literals and
 * `KEY=value` files. Values found are never copied into results (they may be passwords).
 */

/** Names that hold credentials: `MYSQL_ROOT_PASSWORD`, `WP_ADMIN_PASS`, `DB_PWD`, `API_TOKEN`. */
export function isSecretName(name: string): boolean {
  if (/_FILE$|_PATH$|_DIR$/i.test(name)) return false;
  return /(^|[_.-])(pass|passwd|password|pwd|pw|secret|token|api_?key|private_?key|credentials?)($|[_.-])/i.test(
    name.replace(/([a-z])([A-Z])/g, '$1_$2'),
  );
}

/**
 * Whether a value written in a file is a real secret rather than a reference to one: empty values,
 * `${VAR}`, `$(cat ...)`, `/run/secrets/...` paths and `<placeholder>`s are references.
 */
export function isLiteralSecret(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const v = value.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (v === '' || v.includes('$') || v.includes('`')) return false;
  if (v.startsWith('/run/secrets/') || v.startsWith('/')) return false;
  if (/^<[^>]*>$/.test(v) || /^\*+$/.test(v)) return false;
  return true;
}

export interface SecretLiteral {
  line: number;
  /** What holds it, never the value: `MYSQL_ROOT_PASSWORD=`, `IDENTIFIED BY '…'`. */
  what: string;
}

/**
 * Password literals in a text file, by the shapes they take in Inception projects: `KEY=value` and
 * `KEY: value` with a credential name (shell, .env, YAML, ENV), SQL `IDENTIFIED BY '…'` and
 * `PASSWORD('…')`, PHP `define('DB_PASSWORD', '…')`, and `--password=…` style options.
 */
export function secretLiterals(text: string): SecretLiteral[] {
  const out: SecretLiteral[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // comments: shell, PHP/C (`//`, `/* ... */` continuation lines), SQL, ini
    if (/^\s*(#|\/\/|\/\*|\*|--|;)/.test(line)) continue;
    const found = (what: string) => out.push({ line: i + 1, what });
    // KEY=value, export KEY=value, ENV KEY=value
    for (const m of line.matchAll(
      /(?:^|[\s;&|(])(?:export\s+|ENV\s+|ARG\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s;&|#]+)/g,
    )) {
      const [, name, value] = m;
      if (isSecretName(name!) && isLiteralSecret(value)) found(`${name}=`);
    }
    // KEY: value, a YAML mapping of its own line
    const yaml =
      /^\s*(?:-\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*:\s+("[^"]*"|'[^']*'|[^\s#]+)\s*(#.*)?$/.exec(
        line,
      );
    if (yaml && isSecretName(yaml[1]!) && isLiteralSecret(yaml[2])) found(`${yaml[1]}:`);
    // ENV KEY value (the legacy form)
    const legacy = /^\s*ENV\s+([A-Za-z_][A-Za-z0-9_]*)\s+([^=\s].*)$/i.exec(line);
    if (legacy && isSecretName(legacy[1]!) && !legacy[2]!.includes('=') && isLiteralSecret(legacy[2]))
      found(`ENV ${legacy[1]}`);
    for (const m of line.matchAll(
      /IDENTIFIED\s+(?:VIA\s+\w+\s+USING\s+PASSWORD\s*\(|BY\s+(?:PASSWORD\s+)?)\s*(['"])([^'"]*)\1/gi,
    ))
      if (isLiteralSecret(m[2])) found('IDENTIFIED BY');
    for (const m of line.matchAll(/\bPASSWORD\s*\(\s*(['"])([^'"]*)\1\s*\)/gi))
      if (isLiteralSecret(m[2])) found('PASSWORD()');
    for (const m of line.matchAll(
      /define\s*\(\s*(['"])([A-Z_]*PASSWORD[A-Z_]*)\1\s*,\s*(['"])([^'"]*)\3\s*\)/gi,
    ))
      if (isLiteralSecret(m[4])) found(`define('${m[2]}')`);
    const client =
      /\b(?:mysql|mariadb|mysqladmin|mariadb-admin|mysqldump|mariadb-dump)\b[^|;&]*?\s-p("[^"]*"|'[^']*'|[^\s;&|]+)/.exec(
        line,
      );
    if (client && isLiteralSecret(client[1])) found('-p');
    for (const m of line.matchAll(/(?:^|\s)(--[a-z_-]*pass(?:word)?)(?:=|\s+)("[^"]*"|'[^']*'|[^\s;&|]+)/gi))
      if (isLiteralSecret(m[2]) && !m[2]!.startsWith('-')) found(`${m[1]}=`);
  }
  // one result per line is enough to find it
  return out.filter((s, i) => out.findIndex((o) => o.line === s.line) === i);
}

/** `KEY=value` lines of a dotenv file (comments and blank lines skipped), with their line numbers. */
export function dotenvEntries(text: string): { key: string; value: string; line: number }[] {
  const out: { key: string; value: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) return;
    let value = m[2]!;
    if (!/^['"]/.test(value)) value = value.replace(/\s+#.*$/, '');
    out.push({ key: m[1]!, value: value.replace(/^(['"])(.*)\1$/, '$2'), line: i + 1 });
  });
  return out;
}
