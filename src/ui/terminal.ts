/**
 * How output looks on this terminal: which progress sink, and whether to colour. Pure functions of
 * the flags, the environment and the stream, so the CLI decides once and tests decide the same way.
 */
export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';
export type ProgressOption = 'auto' | ProgressMode;
export type AnsiOption = 'auto' | 'never' | 'always';

export const progressOptions: readonly ProgressOption[] = ['auto', 'tty', 'plain', 'json', 'quiet'];
export const ansiOptions: readonly AnsiOption[] = ['auto', 'never', 'always'];

export type Env = Readonly<Record<string, string | undefined>>;

export interface TerminalFacts {
  env: Env;
  /** Whether the stream the output goes to is a terminal. */
  isTTY: boolean;
}

/** `CI=true`, `CI=1`, `CI=yes`… count; `CI=`, `CI=0` and `CI=false` do not. */
export function isCI(env: Env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  const lowered = value?.trim().toLowerCase();
  return allowed.find((a) => a === lowered);
}

/** `--ansi`, else COMPOSE_ANSI (as Compose reads it), else auto. */
export function resolveAnsi(flag: AnsiOption | undefined, env: Env): AnsiOption {
  return flag ?? pick(env.COMPOSE_ANSI, ansiOptions) ?? 'auto';
}

/**
 * Whether to write colour. `--ansi always` wins over everything, `--ansi never` and `--no-color`
 * turn it off; otherwise colour on a terminal unless NO_COLOR is set (https://no-color.org: any
 * non-empty value) or TERM is `dumb`. FORCE_COLOR (non-zero) colours even when piped.
 */
export function colorEnabled(
  facts: TerminalFacts & { ansi?: AnsiOption | undefined; noColor?: boolean | undefined },
): boolean {
  const ansi = resolveAnsi(facts.ansi, facts.env);
  if (ansi === 'always') return true;
  if (ansi === 'never' || facts.noColor) return false;
  if (facts.env.NO_COLOR !== undefined && facts.env.NO_COLOR !== '') return false;
  const force = facts.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return facts.isTTY && facts.env.TERM !== 'dumb';
}

/**
 * The progress sink to use. An explicit `--progress` (or COMPOSE_PROGRESS) is obeyed, except that
 * `--ansi never` forbids the live display, which is made of control characters. `auto` picks the
 * live display only on a real terminal outside CI, with cursor control allowed.
 */
export function resolveProgressMode(
  facts: TerminalFacts & { progress?: ProgressOption | undefined; ansi?: AnsiOption | undefined },
): ProgressMode {
  const ansi = resolveAnsi(facts.ansi, facts.env);
  const chosen = facts.progress ?? pick(facts.env.COMPOSE_PROGRESS, progressOptions) ?? 'auto';
  if (chosen === 'tty') return ansi === 'never' ? 'plain' : 'tty';
  if (chosen !== 'auto') return chosen;
  if (ansi === 'always') return 'tty';
  if (ansi === 'never' || !facts.isTTY || isCI(facts.env) || facts.env.TERM === 'dumb') return 'plain';
  return 'tty';
}
