/**
 * `--format` for listing commands (ps, images, ls, top), as Docker Compose reads it:
 *
 *   (none) or `table`   aligned table with headers, fitted to the terminal
 *   `json`              JSON: one object per line for ps, one array for images and ls, as Compose does
 *   `table TEMPLATE`    a table whose columns are the template's tab-separated parts
 *   `TEMPLATE`          the Go template once per row (`{{.Name}}`)
 *
 * In templates `\t` and `\n` written literally stand for a tab and a newline, as in Docker.
 */
import { usageError } from '../core/errors.js';
import { Template, type TemplateValue } from './go-template.js';
import { renderTable } from './table.js';

export type RecordValue = { readonly [field: string]: TemplateValue };

export interface Column<R extends RecordValue> {
  /** The header: `NAME`, `CREATED`. */
  header: string;
  /** The record field it shows, so that `table {{.RunningFor}}` gets the header `CREATED`. */
  field: string;
  /** The cell text; defaults to the field's value. */
  cell?: (record: R) => string;
  /** May be cut with `…` to fit the terminal (COMMAND, PORTS). */
  shrink?: boolean;
}

export interface FormatOptions<R extends RecordValue> {
  format?: string | undefined;
  columns: readonly Column<R>[];
  /** How `--format json` prints: NDJSON (`ps`) or one array (`images`, `ls`). */
  json: 'lines' | 'array';
  /** The terminal's width, when the output is one. */
  width?: number | undefined;
  noTrunc?: boolean | undefined;
}

export type FormatSpec =
  | { kind: 'table' }
  | { kind: 'json' }
  | { kind: 'table-template'; template: Template }
  | { kind: 'template'; template: Template };

/** Reads a `--format` value; a broken template is a usage error (exit 2) before anything runs. */
export function parseFormat(format: string | undefined): FormatSpec {
  const value = format?.trim() ?? '';
  if (value === '' || value === 'table') return { kind: 'table' };
  if (value === 'json') return { kind: 'json' };
  const unescaped = (text: string) => text.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  if (value.startsWith('table '))
    return { kind: 'table-template', template: Template.parse(unescaped(value.slice(6))) };
  if (!value.includes('{{'))
    throw usageError(
      `unknown --format "${value}"`,
      "use table, json, or a Go template such as '{{.Name}}' (https://docs.docker.com/go/formatting/)",
    );
  return { kind: 'template', template: Template.parse(unescaped(format ?? '')) };
}

/** How long ago `thenMs` was, as Docker writes it: `5 minutes ago`, `1 day ago`, `Less than a second ago`. */
export function timeAgo(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - thenMs) / 1000));
  const units: [number, string][] = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, unit] of units)
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n > 1 ? 's' : ''} ago`;
    }
  return 'Less than a second ago';
}

function plainCell(value: TemplateValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(plainCell).join(', ');
  if (typeof value === 'object' || typeof value === 'function') return '';
  return String(value);
}

/** The records in the chosen format, ready to write (each line ends with a newline). */
export function formatRecords<R extends RecordValue>(
  records: readonly R[],
  options: FormatOptions<R>,
): string {
  const spec = parseFormat(options.format);
  switch (spec.kind) {
    case 'json':
      return options.json === 'array'
        ? `${JSON.stringify(records)}\n`
        : records.map((record) => `${JSON.stringify(record)}\n`).join('');
    case 'template':
      return records.map((record) => `${spec.template.execute(record)}\n`).join('');
    case 'table': {
      const headers = options.columns.map((c) => c.header);
      const rows = records.map((record) =>
        options.columns.map((c) => (c.cell ? c.cell(record) : plainCell(record[c.field]))),
      );
      const shrinkable = options.columns.flatMap((c, i) => (c.shrink ? [i] : []));
      return renderTable(headers, rows, { width: options.width, noTrunc: options.noTrunc, shrinkable });
    }
    case 'table-template': {
      // the header row is the template run over a record whose fields hold their headers
      const headerRecord: Record<string, TemplateValue> = {};
      for (const field of spec.template.fields()) {
        const column = options.columns.find((c) => c.field === field);
        const header = column?.header ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
        // a method such as {{.Label "key"}} answers its header whatever it is asked
        headerRecord[field] = typeof records[0]?.[field] === 'function' ? () => header : header;
      }
      const split = (text: string) => text.split('\t');
      const headers = split(spec.template.execute(headerRecord));
      const rows = records.map((record) => split(spec.template.execute(record)));
      return renderTable(headers, rows, { width: options.width, noTrunc: true });
    }
  }
}
