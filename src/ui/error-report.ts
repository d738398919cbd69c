/**
 * How a failure reads on the terminal: the headline, where it happened, what caused it, and what to
 * do about it. User errors (TsComposeError) never show a stack trace unless asked (`--verbose`,
 * TSCOMPOSE_DEBUG=1); anything else is a bug in tscompose and says so, with its stack.
 *
 *     error: "44x:443" is not a valid port mapping
 *       at srcs/docker-compose.yml:12:9 (services.nginx.ports[0])
 *       cause: port must be a number between 1 and 65535
 *     hint: write it as "HOST:CONTAINER", e.g. "443:443"
 */
import { ExitCode, formatLocation, isTsComposeError, type TsComposeError } from '../core/errors.js';
import { createPalette } from './ansi.js';

export interface ErrorReportOptions {
  verbose: boolean;
  color: boolean;
}

export interface ErrorReport {
  text: string;
  exitCode: number;
}

/** The messages of an error's causes, outermost first, each said once. */
export function causeChain(error: unknown): string[] {
  const messages: string[] = [];
  const seen = new Set<unknown>();
  let current = error instanceof Error ? error.cause : undefined;
  const headline = error instanceof Error ? error.message : '';
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const message = describeCause(current);
    if (message && message !== headline && !messages.includes(message)) messages.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${cause.message} (${code})`
      : cause.message;
  }
  return typeof cause === 'string' ? cause : String(cause);
}

function stacks(error: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (current.stack) out.push(out.length === 0 ? current.stack : `caused by ${current.stack}`);
    current = current.cause;
  }
  return out;
}

export function renderError(error: unknown, options: ErrorReportOptions): ErrorReport {
  const p = createPalette(options.color);
  if (isTsComposeError(error)) {
    if (error.code === 'interrupted') return { text: `${p.dim(error.message)}\n`, exitCode: error.exitCode };
    return { text: renderUserError(error, options), exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`${p.red(p.bold('internal error:'))} ${message}`];
  lines.push(...stacks(error).map((s) => p.dim(s)));
  lines.push(
    `${p.cyan('hint:')} this is a bug in tscompose; please report it with the command you ran and this output`,
  );
  return { text: `${lines.join('\n')}\n`, exitCode: ExitCode.failure };
}

function renderUserError(error: TsComposeError, options: ErrorReportOptions): string {
  const p = createPalette(options.color);
  const lines = [`${p.red(p.bold('error:'))} ${p.bold(error.message)}`];
  const place = formatLocation(error.location);
  if (place) lines.push(`  ${p.dim('at')} ${place}`);
  for (const detail of error.details) lines.push(`  ${detail}`);
  for (const cause of causeChain(error)) lines.push(`  ${p.dim('cause:')} ${cause}`);
  if (error.hint) lines.push(`${p.cyan('hint:')} ${error.hint}`);
  if (options.verbose) {
    lines.push(p.dim(`code: ${error.code}, exit code ${error.exitCode}`));
    lines.push(...stacks(error).map((s) => p.dim(s)));
  }
  return `${lines.join('\n')}\n`;
}
