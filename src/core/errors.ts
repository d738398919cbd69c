/** Where in the user's input something went wrong: a file position and/or a dotted path. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Dotted path in the compose model, e.g. `services.web.ports[0]`. */
  path?: string;
}

/**
 * Exit codes, as the CLI reports them. `invalidProject` is Compose's own code for a project it
 * cannot load, so scripts that check it keep working.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  invalidProject: 15,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface TsComposeErrorOptions {
  /** Stable machine-readable code, e.g. `compose.unknown-key`, `engine.unreachable`. */
  code: string;
  exitCode?: ExitCode;
  location?: SourceLocation;
  /** What the user can do about it, one sentence. */
  hint?: string;
  /** Extra lines shown under the headline (a failing step's output, a health check's log). */
  details?: string[];
  cause?: unknown;
}

/**
 * Every failure the user should read is a TsComposeError: one headline, a place, a fix.
 * The CLI prints these without a stack trace; anything else is a bug and gets one.
 */
export class TsComposeError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly details: readonly string[];

  constructor(message: string, options: TsComposeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsComposeError';
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.location = options.location;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** A compose file or project that cannot be loaded (exit 15, as Compose). */
export function projectError(message: string, code: string, location?: SourceLocation, hint?: string) {
  return new TsComposeError(message, { code, exitCode: ExitCode.invalidProject, location, hint });
}

/** Wrong command-line usage (exit 2). */
export function usageError(message: string, hint?: string) {
  return new TsComposeError(message, { code: 'cli.usage', exitCode: ExitCode.usage, hint });
}

/** The operation was cancelled by the user (Ctrl-C) or an AbortSignal (exit 130). */
export class InterruptedError extends TsComposeError {
  constructor(message = 'interrupted') {
    super(message, { code: 'interrupted', exitCode: ExitCode.interrupted });
    this.name = 'InterruptedError';
  }
}

export function isTsComposeError(error: unknown): error is TsComposeError {
  return error instanceof TsComposeError;
}

/**
 * Errors that say the engine is not there (not now): unreachable, or gone in the middle of a call
 * (codes of src/engine/errors.ts), as opposed to an engine that answered with a refusal.
 */
export function isEngineGone(error: unknown): error is TsComposeError {
  return (
    isTsComposeError(error) &&
    (error.code === 'engine.unreachable' || error.code === 'engine.connection-lost')
  );
}

/** `file:line:col` (or the parts that are known), then the dotted path in brackets. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) {
    let place = location.file;
    if (location.line !== undefined) place += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) place += `:${location.column}`;
    parts.push(place);
  }
  if (location.path) parts.push(location.file ? `(${location.path})` : location.path);
  return parts.join(' ');
}
