import { listProjects } from '../../app/listings.js';
import { parseFormat } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { writeRecords } from '../output.js';
import { withEngine } from '../session.js';

/** `ls`: every Compose project on the engine (its own and Docker Compose's), from container labels. */
export const run: CommandRun = async (ctx, { options }) => {
  parseFormat(options.format as string | undefined);
  const rows = await withEngine(ctx, (engine) =>
    listProjects(engine, { all: options.all as boolean | undefined }),
  );
  if (options.quiet) return void ctx.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
  writeRecords(
    ctx,
    rows.map((r) => ({ Name: r.name, Status: r.status, ConfigFiles: r.configFiles })),
    {
      format: options.format as string | undefined,
      json: 'array',
      columns: [
        { header: 'NAME', field: 'Name' },
        { header: 'STATUS', field: 'Status' },
        { header: 'CONFIG FILES', field: 'ConfigFiles', shrink: true },
      ],
    },
  );
};
