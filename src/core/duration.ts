/**
 * Durations in Go's syntax, as Compose writes them: `1m30s`, `500ms`, `1.5h`, `10us`, `-1s`.
 * A bare number is not a duration (Go refuses it too), except `0`. The loader validates and
 * normalizes every duration of a Project with these; reconcile and swarm convert them for the engine.
 */

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds (fractional below 1 ms), or undefined when the text is not a Go duration. */
export function tryParseDuration(text: string): number | undefined {
  let s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '') return undefined;
  const part = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    part.lastIndex = i;
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    i = part.lastIndex;
  }
  return sign * total;
}

/** Milliseconds of a Go duration; throws a plain Error on malformed text (the loader validated it). */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) throw new Error(`invalid duration "${text}" (expected e.g. 30s, 1m30s, 500ms)`);
  return ms;
}

/**
 * Integer nanoseconds, as the Engine API takes durations (healthcheck, restart and update policies),
 * of a duration the loader normalized; undefined when absent or not a duration.
 */
export function durationNs(text: string | undefined): number | undefined {
  const ms = text === undefined ? undefined : tryParseDuration(text);
  return ms === undefined ? undefined : Math.round(ms * 1e6);
}

/** Go's `time.Duration.String()`: `1m30s`, `1m0s`, `500ms`, `1h0m0s`, `0s`, the form `config` prints. */
export function formatDuration(ms: number): string {
  // Go works in integer nanoseconds; so do we, to print exactly what Compose prints
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const negative = ns < 0;
  if (negative) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    // below a second: the largest unit that keeps an integer part
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trimFraction(ns / 1e3)}µs`;
    else out = `${trimFraction(ns / 1e6)}ms`;
  } else {
    const hours = Math.floor(ns / 3.6e12);
    const minutes = Math.floor((ns % 3.6e12) / 6e10);
    const seconds = (ns % 6e10) / 1e9;
    out = `${trimFraction(seconds)}s`;
    if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
    if (hours > 0) out = `${hours}h${out}`;
  }
  return negative ? `-${out}` : out;
}

function trimFraction(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(9)));
}
