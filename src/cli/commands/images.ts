import { listImages } from '../../app/listings.js';
import { formatRecords, parseFormat } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { terminalWidth } from '../output.js';
import { openEngine, projectFromCli } from '../session.js';

const size = (bytes: number) => {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)}${units[unit]}`;
};

export const run: CommandRun = async (ctx, { args, options, global }) => {
  parseFormat(options.format as string | undefined);
  const { name } = await projectFromCli(ctx, global);
  const engine = await openEngine(ctx);
  try {
    const rows = await listImages(engine, name, args);
    if (options.quiet) {
      ctx.stdout.write([...new Set(rows.map((r) => r.id))].map((id) => `${id}\n`).join(''));
      return;
    }
    const records = rows.map((r) => ({
      ContainerName: r.container,
      Repository: r.repository,
      Tag: r.tag,
      ID: r.id,
      Size: r.size,
    }));
    ctx.stdout.write(
      formatRecords(records, {
        format: options.format as string | undefined,
        json: 'array',
        width: terminalWidth(ctx),
        columns: [
          { header: 'CONTAINER', field: 'ContainerName' },
          { header: 'REPOSITORY', field: 'Repository' },
          { header: 'TAG', field: 'Tag' },
          { header: 'IMAGE ID', field: 'ID', cell: (r) => r.ID.replace(/^sha256:/, '').slice(0, 12) },
          { header: 'SIZE', field: 'Size', cell: (r) => size(r.Size) },
        ],
      }),
    );
  } finally {
    engine.close();
  }
};
