import { listProjects } from '../../app/listings.js';
import { formatRecords, parseFormat } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { terminalWidth } from '../output.js';
import { openEngine } from '../session.js';

/** `ls`: every Compose project on the engine (its own and Docker Compose's), from container labels. */
export const run: CommandRun = async (ctx, { options }) => {
  parseFormat(options.format as string | undefined);
  const engine = await openEngine(ctx);
  try {
    const rows = await listProjects(engine, { all: options.all as boolean | undefined });
    if (options.quiet) {
      ctx.stdout.write(rows.map((r) => `${r.name}\n`).join(''));
      return;
    }
    const records = rows.map((r) => ({ Name: r.name, Status: r.status, ConfigFiles: r.configFiles }));
    ctx.stdout.write(
      formatRecords(records, {
        format: options.format as string | undefined,
        json: 'array',
        width: terminalWidth(ctx),
        columns: [
          { header: 'NAME', field: 'Name' },
          { header: 'STATUS', field: 'Status' },
          { header: 'CONFIG FILES', field: 'ConfigFiles', shrink: true },
        ],
      }),
    );
  } finally {
    engine.close();
  }
};
