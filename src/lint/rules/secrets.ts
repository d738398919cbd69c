import { posix } from 'node:path';
import type { Path } from '../../compose/path.js';
import { isMap as isPlainMap } from '../types.js';
import type { Facts, GitView } from '../input.js';
import { dotenvEntries, isLiteralSecret, isSecretName, secretLiterals } from '../text.js';
import type { Finding, Place } from '../types.js';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

/** Files whose name says they hold credentials (a private key is found by its content). */
function isCredentialFile(path: string): boolean {
  const name = posix.basename(path).toLowerCase();
  return /(^|\/)secrets?\//.test(path) || /password|passwd|credential|\.p12$|\.pfx$/.test(name);
}

const PRIVATE_KEY = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/;

const isDotenv = (path: string) => /(^|\/)(\.env(\..*)?|[^/]*\.env)$/.test(path);

/** Where credentials may leak in a repository: its top level, srcs/ and secrets/. */
const inScope = (path: string) =>
  !path.includes('/') || path.startsWith('srcs/') || path.startsWith('secrets/');

export function isIgnored(git: GitView, path: string): boolean {
  if (git.ignored.has(path)) return true;
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) if (git.ignored.has(`${parts.slice(0, i).join('/')}/`)) return true;
  return false;
}

/** Files that hold a credential, with the first place and a description (never the value). */
function credentialHolders(facts: Facts): { path: string; place: Place; what: string }[] {
  const out: { path: string; place: Place; what: string }[] = [];
  const dockerfiles = new Set(facts.services.map((s) => s.dockerfilePath));
  const composeFiles = new Set(facts.input.compose.files.map((f) => facts.rel(f.path)));
  // files the compose file names as secrets hold one by definition
  const secretFiles = new Set<string>();
  for (const secret of Object.values(facts.input.compose.project.secrets ?? {}))
    if (secret.file) secretFiles.add(facts.rel(secret.file));
  for (const [path, file] of facts.input.files) {
    if (!inScope(path) || dockerfiles.has(path) || composeFiles.has(path)) continue;
    if (secretFiles.has(path) || isCredentialFile(path)) {
      out.push({
        path,
        place: { file: path },
        what: secretFiles.has(path) ? 'a Docker secret' : 'credentials',
      });
      continue;
    }
    if (file.text === undefined) continue;
    if (PRIVATE_KEY.test(file.text)) {
      out.push({ path, place: { file: path }, what: 'a private key' });
      continue;
    }
    if (isDotenv(path)) {
      const entry = dotenvEntries(file.text).find((e) => isSecretName(e.key) && isLiteralSecret(e.value));
      if (entry)
        out.push({ path, place: { file: path, line: entry.line }, what: `a password (${entry.key})` });
      continue;
    }
    const literal = secretLiterals(file.text)[0];
    if (literal)
      out.push({ path, place: { file: path, line: literal.line }, what: `a password (${literal.what})` });
  }
  return out;
}

/** Scalars of the raw compose tree under `environment`/`args` whose name says password. */
function composeLiterals(facts: Facts): Finding[] {
  const findings: Finding[] = [];
  for (const file of facts.input.compose.files) {
    const display = facts.rel(file.path);
    file.documents.forEach((doc) => {
      const visit = (node: unknown, path: Path) => {
        if (Array.isArray(node)) {
          node.forEach((item, i) => {
            if (typeof item === 'string' && (path.at(-1) === 'environment' || path.at(-1) === 'args')) {
              const eq = item.indexOf('=');
              if (eq > 0 && isSecretName(item.slice(0, eq)) && isLiteralSecret(item.slice(eq + 1)))
                report(item.slice(0, eq), [...path, i]);
            } else visit(item, [...path, i]);
          });
          return;
        }
        if (!isPlainMap(node)) return;
        for (const [key, value] of Object.entries(node)) {
          if (
            (typeof value === 'string' || typeof value === 'number') &&
            isSecretName(key) &&
            isLiteralSecret(String(value)) &&
            path.at(-1) !== 'secrets' &&
            path.at(-2) !== 'secrets'
          )
            report(key, [...path, key]);
          else visit(value, [...path, key]);
        }
      };
      const report = (name: string, path: Path) => {
        const pos = file.locate(path);
        findings.push({
          message: `${name} is written in the compose file as a literal password`,
          fix: `read it from srcs/.env (${name}: \${${name}}), better from a Docker secret file kept out of git`,
          place: pos ? { file: display, line: pos.line, column: pos.column } : { file: display },
        });
      };
      visit(doc, []);
    });
  }
  return findings;
}

export const secretRules: StaticRule[] = [
  staticRule('secrets.dockerfile', 'error', 'secrets', 'no password in a Dockerfile', (facts) => {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const s of facts.services) {
      if (!s.dockerfilePath || s.dockerfileText === undefined || seen.has(s.dockerfilePath)) continue;
      seen.add(s.dockerfilePath);
      for (const literal of secretLiterals(s.dockerfileText))
        findings.push({
          message: `${literal.what} sets a literal password in the Dockerfile (it stays in the image's history)`,
          fix: 'pass it at run time: an environment variable from srcs/.env, or a Docker secret read by the entrypoint',
          place: { file: s.dockerfilePath, line: literal.line },
        });
    }
    return verdict(findings, `${plural(seen.size, 'Dockerfile')} without a password`);
  }),

  staticRule('secrets.compose', 'error', 'secrets', 'no password in the compose file', (facts) =>
    verdict(composeLiterals(facts), 'passwords come from variables or secrets'),
  ),

  staticRule('secrets.tracked', 'error', 'secrets', 'no credentials committed to git', (facts) => {
    const git = facts.input.git;
    if (!git) return { skip: 'not a git work tree: which files are committed cannot be told' };
    const findings: Finding[] = credentialHolders(facts)
      .filter((h) => git.tracked.has(h.path))
      .map((h) => ({
        message: `${h.path} holds ${h.what} and is committed to git: publicly stored credentials fail the project`,
        fix: `git rm --cached ${h.path}, add it to .gitignore, and change the password`,
        place: h.place,
      }));
    return verdict(findings, 'no committed file holds a credential');
  }),

  staticRule(
    'secrets.ignored',
    'warning',
    'secrets',
    'files with credentials are ignored by git',
    (facts) => {
      const git = facts.input.git;
      if (!git) return { skip: 'not a git work tree' };
      const findings: Finding[] = credentialHolders(facts)
        .filter((h) => !git.tracked.has(h.path) && !isIgnored(git, h.path))
        .map((h) => ({
          message: `${h.path} holds ${h.what} and is not ignored: the next "git add ." commits it`,
          fix: `add ${h.path.startsWith('secrets/') ? 'secrets/' : h.path} to .gitignore`,
          place: h.place,
        }));
      return verdict(findings, 'files with credentials are ignored');
    },
  ),
];
