import { ExitCode, formatLocation, isTsComposeError } from '../core/errors.js';

/**
 * Writes an error the way users should read it: a headline, the place, the details, the fix.
 * Stack traces only for bugs (non-TsComposeError) or when `verbose` is set. Returns the exit code.
 */
export function reportError(error: unknown, write: (text: string) => void, verbose: boolean): number {
  if (isTsComposeError(error)) {
    if ((error as { alreadyReported?: boolean }).alreadyReported) return error.exitCode;
    const place = formatLocation(error.location);
    const lines = [`error: ${place ? `${place}: ` : ''}${error.message}`];
    for (const detail of error.details) lines.push(`  ${detail}`);
    if (error.hint) lines.push(`hint: ${error.hint}`);
    if (verbose && error.stack) lines.push(error.stack);
    write(`${lines.join('\n')}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`internal error (please report it): ${message}\n`);
  return ExitCode.failure;
}
