import { listProcesses } from '../../app/listings.js';
import { renderTable } from '../../ui/table.js';
import type { CommandRun } from '../context.js';
import { projectFromCli, withEngine } from '../session.js';

export const run: CommandRun = async (ctx, { args, global }) => {
  const { name } = await projectFromCli(ctx, global);
  const lists = await withEngine(ctx, (engine) => listProcesses(engine, name, args));
  ctx.stdout.write(
    lists.map((l) => `${l.container}\n${renderTable(l.processes.titles, l.processes.processes)}`).join('\n'),
  );
};
