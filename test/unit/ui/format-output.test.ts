import { describe, expect, it } from 'vitest';
import { formatRecords, timeAgo, type Column } from '../../../src/ui/format-output.js';
import { renderTable } from '../../../src/ui/table.js';

const rows = [
  {
    Name: 'inception-mariadb-1',
    Image: 'inception-mariadb',
    Command: '"init.sh mysqld"',
    Service: 'mariadb',
    RunningFor: '2 minutes ago',
    Status: 'Up 2 minutes (healthy)',
    Ports: '3306/tcp',
  },
  {
    Name: 'inception-nginx-1',
    Image: 'inception-nginx',
    Command: '"nginx -g \'daemon off;\'"',
    Service: 'nginx',
    RunningFor: '2 minutes ago',
    Status: 'Up 2 minutes',
    Ports: '0.0.0.0:443->443/tcp, :::443->443/tcp',
  },
];
type Row = (typeof rows)[number];
const columns: Column<Row>[] = [
  { header: 'NAME', field: 'Name' },
  { header: 'IMAGE', field: 'Image' },
  { header: 'COMMAND', field: 'Command', shrink: true },
  { header: 'SERVICE', field: 'Service' },
  { header: 'CREATED', field: 'RunningFor' },
  { header: 'STATUS', field: 'Status' },
  { header: 'PORTS', field: 'Ports', shrink: true },
];

describe('tables', () => {
  it('aligns columns three spaces apart, as Docker does', () => {
    expect(
      renderTable(
        ['NAME', 'STATUS'],
        [
          ['p-web-1', 'running(2)'],
          ['other', ''],
        ],
      ),
    ).toBe('NAME      STATUS\np-web-1   running(2)\nother\n');
  });

  it('prints everything when the width is unknown (a pipe)', () => {
    expect(formatRecords(rows, { columns, json: 'lines' })).toBe(
      [
        'NAME                  IMAGE               COMMAND                    SERVICE   CREATED         STATUS                   PORTS',
        'inception-mariadb-1   inception-mariadb   "init.sh mysqld"           mariadb   2 minutes ago   Up 2 minutes (healthy)   3306/tcp',
        'inception-nginx-1     inception-nginx     "nginx -g \'daemon off;\'"   nginx     2 minutes ago   Up 2 minutes             0.0.0.0:443->443/tcp, :::443->443/tcp',
        '',
      ].join('\n'),
    );
  });

  it('cuts the shrinkable columns, widest first, to fit the terminal', () => {
    // 96 columns are not shrinkable: COMMAND and PORTS share the other 24
    const out = formatRecords(rows, { columns, json: 'lines', width: 120 });
    expect(out).toBe(
      [
        'NAME                  IMAGE               COMMAND        SERVICE   CREATED         STATUS                   PORTS',
        'inception-mariadb-1   inception-mariadb   "init.sh my…   mariadb   2 minutes ago   Up 2 minutes (healthy)   3306/tcp',
        'inception-nginx-1     inception-nginx     "nginx -g \'…   nginx     2 minutes ago   Up 2 minutes             0.0.0.0:443…',
        '',
      ].join('\n'),
    );
    for (const line of out.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
  });

  it('does not cut with --no-trunc', () => {
    expect(formatRecords(rows, { columns, json: 'lines', width: 80, noTrunc: true })).toContain(
      ':::443->443/tcp',
    );
  });
});

describe('--format', () => {
  it('json: one object per line for ps, one array for images and ls', () => {
    expect(formatRecords(rows, { columns, json: 'lines', format: 'json' }).split('\n')[0]).toBe(
      JSON.stringify(rows[0]),
    );
    expect(formatRecords(rows, { columns, json: 'array', format: 'json' })).toBe(`${JSON.stringify(rows)}\n`);
  });

  it('a template prints once per row, with \\t read as a tab', () => {
    expect(formatRecords(rows, { columns, json: 'lines', format: '{{.Name}}\\t{{.Service}}' })).toBe(
      'inception-mariadb-1\tmariadb\ninception-nginx-1\tnginx\n',
    );
  });

  it('table TEMPLATE: the template`s columns with their headers', () => {
    expect(
      formatRecords(rows, {
        columns,
        json: 'lines',
        format: 'table {{.Service}}\\t{{.RunningFor}}\\t{{.Status}}',
      }),
    ).toBe(
      [
        'SERVICE   CREATED         STATUS',
        'mariadb   2 minutes ago   Up 2 minutes (healthy)',
        'nginx     2 minutes ago   Up 2 minutes',
        '',
      ].join('\n'),
    );
  });

  it('rejects a format that is neither a table, json, nor a template', () => {
    expect(() => formatRecords(rows, { columns, json: 'lines', format: 'yaml' })).toThrow(
      /unknown --format "yaml"/,
    );
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  it.each([
    [now - 400, 'Less than a second ago'],
    [now - 1_000, '1 second ago'],
    [now - 59_999, '59 seconds ago'],
    [now - 60_000, '1 minute ago'],
    [now - 2 * 3_600_000 - 5_000, '2 hours ago'],
    [now - 3 * 86_400_000, '3 days ago'],
    [now + 5_000, 'Less than a second ago'],
  ])('%d ms → %s, as Docker writes CREATED and CURRENT STATE', (then, text) => {
    expect(timeAgo(then, now)).toBe(text);
  });
});
