import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { openSession, projectFromCli } from '../session.js';

interface DownFlags {
  volumes?: boolean;
  rmi?: 'local' | 'all';
  removeOrphans?: boolean;
  timeout?: number;
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as DownFlags;
  const { name, loaded } = await projectFromCli(ctx, global);
  const known = loaded ? Object.keys(loaded.project.services) : undefined;
  for (const service of args)
    if (known && !known.includes(service))
      throw usageError(`no such service: ${service}`, `services: ${known.sort().join(', ')}`);
  const session = await openSession(ctx, global);
  try {
    const result = await session.compose.down(name, loaded, {
      // with services: their containers only; networks, volumes and images stay
      services: args.length ? args : undefined,
      volumes: flags.volumes,
      rmi: flags.rmi,
      removeOrphans: flags.removeOrphans,
      timeoutSeconds: flags.timeout,
      dryRun: global.dryRun,
    });
    await session.finishProgress();
    if (global.dryRun) ctx.stdout.write(result.text);
  } finally {
    await session.close();
  }
};
