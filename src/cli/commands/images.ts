import { listImages } from '../../app/listings.js';
import { parseFormat } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { writeRecords } from '../output.js';
import { projectFromCli, withEngine } from '../session.js';

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
  const rows = await withEngine(ctx, (engine) => listImages(engine, name, args));
  if (options.quiet)
    return void ctx.stdout.write([...new Set(rows.map((r) => r.id))].map((id) => `${id}\n`).join(''));
  writeRecords(
    ctx,
    rows.map((r) => ({
      ContainerName: r.container,
      Repository: r.repository,
      Tag: r.tag,
      ID: r.id,
      Size: r.size,
    })),
    {
      format: options.format as string | undefined,
      json: 'array',
      columns: [
        { header: 'CONTAINER', field: 'ContainerName' },
        { header: 'REPOSITORY', field: 'Repository' },
        { header: 'TAG', field: 'Tag' },
        { header: 'IMAGE ID', field: 'ID', cell: (r) => r.ID.replace(/^sha256:/, '').slice(0, 12) },
        { header: 'SIZE', field: 'Size', cell: (r) => size(r.Size) },
      ],
    },
  );
};
