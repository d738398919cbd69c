import { publishedPort } from '../../app/listings.js';
import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { projectFromCli, withEngine } from '../session.js';

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const [service, port] = args;
  if (!service || !port || !/^\d+$/.test(port))
    throw usageError('port needs a service and a private port', 'tscompose port web 80');
  const { name } = await projectFromCli(ctx, global);
  const address = await withEngine(ctx, (engine) =>
    publishedPort(engine, name, {
      service,
      port: Number(port),
      protocol: options.protocol as string | undefined,
      index: options.index as number | undefined,
    }),
  );
  ctx.stdout.write(`${address}\n`);
};
