import type { ProgressEvent, ProgressListener } from '../core/events.js';

/**
 * A stopgap until the UI room's sinks are wired in: progress as plain lines in Compose's words
 * (` Container app-1  Started`), whitespace-aligned tables, and `name  | line` log prefixes.
 */

type Write = (text: string) => void;

const kinds: Record<string, string> = {
  network: 'Network',
  volume: 'Volume',
  container: 'Container',
  image: 'Image',
  service: 'Service',
  secret: 'Secret',
  config: 'Config',
};

export function plainProgress(write: Write): ProgressListener {
  return (event: ProgressEvent) => {
    switch (event.type) {
      case 'resource':
        write(
          ` ${kinds[event.kind] ?? event.kind} ${event.id}  ${event.text}${event.detail ? ` (${event.detail})` : ''}\n`,
        );
        return;
      case 'warning':
        write(`WARN ${event.message}\n`);
        return;
      case 'info':
        write(`${event.message}\n`);
        return;
      case 'output':
        write(`${event.id}  | ${event.line}\n`);
        return;
      case 'summary':
        return;
    }
  };
}

/** Columns padded to their widest cell, separated by three spaces, as `docker compose ps` prints. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

const palette = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** `name  | text`, the name padded to the widest and coloured per container when `color` is on. */
export function logPrefixer(names: string[], options: { color: boolean; prefix: boolean }) {
  const width = Math.max(0, ...names.map((n) => n.length));
  const colors = new Map(names.map((n, i) => [n, palette[i % palette.length]]));
  return (name: string, text: string): string => {
    if (!options.prefix) return `${text}\n`;
    const label = `${name.padEnd(width)}  |`;
    return options.color
      ? `\u001b[${colors.get(name) ?? 36}m${label}\u001b[0m ${text}\n`
      : `${label} ${text}\n`;
  };
}
