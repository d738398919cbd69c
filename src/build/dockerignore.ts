import dockerignore, { type Ignore } from '@balena/dockerignore';
import { posix } from 'node:path';

type IgnoreFactory = () => Ignore;
// The package is CommonJS (`module.exports = factory`) while its types declare a default export:
// depending on the loader the factory is the default import itself or its `default`.
const ignore: IgnoreFactory =
  (dockerignore as unknown as { default?: IgnoreFactory }).default ??
  (dockerignore as unknown as IgnoreFactory);

/** The patterns of a .dockerignore file: trimmed lines, without blanks and `#` comments. */
export function parseDockerignore(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A pattern as Docker compares it: no `!`, no leading `/`, cleaned, no trailing `/`. */
function cleanPattern(pattern: string): string {
  const bare = pattern.replace(/^!/, '').trim().replace(/^\/+/, '');
  const cleaned = posix.normalize(bare).replace(/\/+$/, '');
  return cleaned === '.' ? '' : cleaned;
}

/**
 * Which paths of a build context are sent, by Docker's .dockerignore rules (matching from
 * @balena/dockerignore, a port of Docker's own matcher): the last matching pattern wins, `!`
 * re-includes, and a pattern that matches a directory matches everything below it.
 */
export class ContextFilter {
  private readonly matcher: Ignore;
  private readonly exceptions: string[];

  /**
   * `alwaysSent` are paths the builder must receive even when a pattern excludes them (the
   * Dockerfile and .dockerignore, as the docker CLI keeps them).
   */
  constructor(
    readonly patterns: readonly string[],
    alwaysSent: readonly string[] = [],
  ) {
    const rules = [...patterns];
    const base = ignore().add(rules);
    for (const path of alwaysSent) if (base.ignores(path)) rules.push(`!${path}`);
    this.matcher = rules.length === patterns.length ? base : ignore().add(rules);
    this.exceptions = rules.filter((p) => p.startsWith('!')).map(cleanPattern);
    this.effectivePatterns = rules;
  }

  /** The patterns with the always-sent exceptions appended: what the engine is told. */
  readonly effectivePatterns: readonly string[];

  /** Whether a context-relative path (posix, no leading `./`) is left out. */
  excludes(relativePath: string): boolean {
    return this.matcher.ignores(relativePath);
  }

  /**
   * Whether an excluded directory must still be walked because an exception pattern names a path
   * under it. Docker's rule, prefix-based: `!docs/keep.md` rescues `docs/keep.md` from an excluded
   * `docs`, but a wildcard exception such as `!**\/keep.md` does not reach into excluded directories.
   */
  mayHoldExceptions(relativeDir: string): boolean {
    const dirSlash = `${relativeDir}/`;
    return this.exceptions.some((p) => `${p}/`.startsWith(dirSlash));
  }
}
