import type { Path } from './path.js';

/**
 * A problem found by a phase that works on plain data: it knows the dotted path, not the file.
 * The loader turns it into a TsComposeError with `file:line:col` (see load.ts).
 */
export class PathIssue extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly path: Path,
    readonly hint?: string,
    /** Point at the key rather than its value (unknown keys). */
    readonly atKey = false,
  ) {
    super(message);
    this.name = 'PathIssue';
  }
}
