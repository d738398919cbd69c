import dockerignore, { type Ignore } from '@balena/dockerignore';
import { posix } from 'node:path';

type IgnoreFactory = () => Ignore;
// The package is CommonJS (`module.exports = factory`) while its types declare a default export:
// depending on the loader the factory is the default import itself or its `default`.
const ignoreFactory: IgnoreFactory =
  (dockerignore as unknown as { default?: IgnoreFactory }).default ??
  (dockerignore as unknown as IgnoreFactory);

/** The patterns of a .dockerignore file: trimmed lines, without blanks and `#` comments. */
export function parseIgnoreFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Editors' temporary and backup files and version-control folders, never worth an action (the
 * list Compose ignores too): JetBrains' safe-write files and .idea, Emacs locks and autosaves,
 * Vim's swap files, its `4913` probe and `~` backups, and `.git`.
 */
const ephemeralNames = [/___jb_(old|tmp)___$/, /^\.#/, /^#.*#$/, /^4913$/, /~$/, /^\..*\.sw[pxon]$/];
const ephemeralDirs = new Set(['.git', '.idea']);

/** Whether a path (absolute or relative, `/`-separated) is an editor artifact or inside .git/.idea. */
export function isEphemeral(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1] ?? '';
  return parts.some((p) => ephemeralDirs.has(p)) || ephemeralNames.some((re) => re.test(base));
}

/** `path` relative to `root` (both absolute), or undefined when it is not `root` or below it. */
export function relativeTo(root: string, path: string): string | undefined {
  if (path === root) return '';
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

/**
 * A set of .dockerignore-syntax patterns anchored at a folder, matched with @balena/dockerignore
 * (a port of Docker's own matcher): the last matching pattern wins, `!` re-includes, a pattern that
 * matches a folder matches everything below it.
 */
export class PatternSet {
  private readonly matcher: Ignore;
  /** Whether some pattern re-includes (`!`): then an excluded folder may still hold included paths. */
  readonly hasExceptions: boolean;

  constructor(
    readonly root: string,
    readonly patterns: readonly string[],
  ) {
    this.matcher = ignoreFactory().add(patterns.map((p) => p.replace(/^(!?)\/+/, '$1')));
    this.hasExceptions = patterns.some((p) => p.startsWith('!'));
  }

  /** Whether an absolute path below `root` matches; paths outside `root` never do. */
  matches(path: string): boolean {
    const rel = relativeTo(this.root, path);
    if (rel === undefined || rel === '') return false;
    return this.matcher.ignores(posix.normalize(rel));
  }
}
