/**
 * Container log lines as Compose prints them for `logs` and attached `up`: the container's short
 * name (`web-1`) padded to the longest one, a bar, then the line, each container in its own colour:
 *
 *     db-1         | ready for connections
 *     webserver-1  | 2026-11-22T04:58:44.003336366Z GET / 200
 *
 * `--no-log-prefix` drops the prefix, `--no-color` the colour, `-t` puts the engine's timestamp first.
 */
import { padEnd, rainbow, type Style } from './ansi.js';

export interface LogFormatOptions {
  color: boolean;
  /** false for `--no-log-prefix`. */
  prefix: boolean;
  /** true for `-t/--timestamps`: the engine's RFC 3339 timestamp before each line. */
  timestamps: boolean;
}

export class LogFormatter {
  private width = 0;
  private readonly colors = new Map<string, Style>();

  /** `names`: every container that may print, known up front so that the bars line up from the start. */
  constructor(
    private readonly options: LogFormatOptions,
    names: readonly string[] = [],
  ) {
    for (const name of names) this.add(name);
  }

  /** A container that appears later (scale up, `run`): the bars move right if its name is longer. */
  add(name: string): void {
    if (!this.colors.has(name)) this.colors.set(name, rainbow(this.colors.size, this.options.color));
    this.width = Math.max(this.width, [...name].length);
  }

  /** One log line, without its newline. `line` is one line of output (no trailing newline). */
  line(name: string, line: string, timestamp?: string): string {
    this.add(name);
    const text = this.options.timestamps && timestamp ? `${timestamp} ${line}` : line;
    if (!this.options.prefix) return text;
    return `${this.style(name)(`${padEnd(name, this.width)}  | `)}${text}`;
  }

  /** `Attaching to db-1, web-1`, printed by attached `up` before the first line. */
  attaching(names: readonly string[]): string {
    return `Attaching to ${names.join(', ')}`;
  }

  /** `web-1 exited with code 3`, in the container's colour. */
  exited(name: string, code: number): string {
    this.add(name);
    return this.style(name)(`${name} exited with code ${code}`);
  }

  private style(name: string): Style {
    return this.colors.get(name) ?? ((text: string) => text);
  }
}

/**
 * The name a container's log lines carry: Compose's `<service>-<n>` without the project prefix, or
 * the container's own name when `container_name` set one.
 */
export function logName(containerName: string, project: string): string {
  const name = containerName.replace(/^\//, '');
  return name.startsWith(`${project}-`) ? name.slice(project.length + 1) : name;
}

/**
 * Splits the engine's `-t` output (`2026-11-22T04:58:44.003336366Z hello`) into its timestamp and
 * the line; lines without one come back whole.
 */
export function splitTimestamp(raw: string): { timestamp?: string; line: string } {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s.exec(raw);
  return match?.[1] !== undefined && match[2] !== undefined
    ? { timestamp: match[1], line: match[2] }
    : { line: raw };
}
