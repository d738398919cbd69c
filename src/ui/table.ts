/**
 * Aligned tables as Docker prints them (columns three spaces apart, headers in capitals), made to fit
 * the terminal: when a row is wider than the screen, the columns marked as shrinkable give up width
 * first, widest first, their cells ending in `…`. `--no-trunc` (or no known width) prints them whole.
 */
import { displayWidth, padEnd, truncate } from './ansi.js';

export interface TableOptions {
  /** The terminal's width; undefined when the output is not a terminal (nothing is cut). */
  width?: number | undefined;
  /** Indexes of the columns that may be cut to fit, e.g. COMMAND and PORTS of `ps`. */
  shrinkable?: readonly number[];
  /** Never cut: `--no-trunc`. */
  noTrunc?: boolean;
  /** Columns narrower than this are never cut further. */
  minWidth?: number;
}

const gap = '   ';

/** The table as text, one line per row after the header line, each ending with a newline. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
) {
  // cells hold no line breaks: a multi-line value would break the grid
  const cells = rows.map((row) => headers.map((_h, i) => (row[i] ?? '').replace(/\s*\n\s*/g, ' ')));
  const widths = headers.map((header, i) =>
    Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[i]!))),
  );
  if (options.width !== undefined && !options.noTrunc) fit(widths, headers, options);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        const width = widths[i]!;
        const text = displayWidth(cell) > width ? truncate(cell, width) : cell;
        return i === row.length - 1 ? text : padEnd(text, width);
      })
      .join(gap)
      .trimEnd();
  return [headers, ...cells].map((row) => `${line(row)}\n`).join('');
}

/** Narrows shrinkable columns, widest first, until the table fits or none can give more. */
function fit(widths: number[], headers: readonly string[], options: TableOptions) {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + gap.length * (widths.length - 1);
  const floor = (i: number) => Math.max(displayWidth(headers[i] ?? ''), options.minWidth ?? 12);
  const limit = options.width ?? Infinity;
  const shrinkable = options.shrinkable ?? [];
  while (total() > limit) {
    const candidates = shrinkable.filter((i) => (widths[i] ?? 0) > floor(i));
    if (candidates.length === 0) return;
    const widest = candidates.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
    const second = Math.max(
      floor(widest),
      ...candidates.filter((i) => i !== widest).map((i) => widths[i] ?? 0),
    );
    const excess = total() - limit;
    widths[widest] = Math.max(
      floor(widest),
      Math.min((widths[widest] ?? 0) - 1, Math.max(second, (widths[widest] ?? 0) - excess)),
    );
  }
}
