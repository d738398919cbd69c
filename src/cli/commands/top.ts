import { listProcesses } from '../../app/listings.js';
import { renderTable } from '../../ui/table.js';
import type { CommandRun } from '../context.js';
import { openEngine, projectFromCli } from '../session.js';

export const run: CommandRun = async (ctx, { args, global }) => {
  const { name } = await projectFromCli(ctx, global);
  const engine = await openEngine(ctx);
  try {
    const lists = await listProcesses(engine, name, args);
    ctx.stdout.write(
      lists
        .map((l) => `${l.container}\n${renderTable(l.processes.titles, l.processes.processes)}`)
        .join('\n'),
    );
  } finally {
    engine.close();
  }
};
