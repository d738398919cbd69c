import { renderError } from '../ui/error-report.js';

export interface ReportErrorOptions {
  /** `--verbose` or TSCOMPOSE_DEBUG=1: stack traces and error codes. */
  verbose: boolean;
  color: boolean;
}

/**
 * Writes an error the way users should read it (src/ui/error-report.ts: headline, place, cause, fix)
 * and returns its exit code. Usage errors that commander already printed are not printed twice.
 */
export function reportError(
  error: unknown,
  write: (text: string) => void,
  options: ReportErrorOptions,
): number {
  const report = renderError(error, options);
  if ((error as { alreadyReported?: boolean } | null)?.alreadyReported) return report.exitCode;
  write(report.text);
  return report.exitCode;
}
