import { constants } from 'node:os';
import { usageError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { withProject } from '../session.js';

/**
 * A signal the engine knows, as `docker kill -s` takes it: a number, or a name with or without `SIG`
 * in any case (`SIGHUP`, `hup`), or `RTMIN+n` / `RTMAX-n`.
 */
export function checkSignal(value: string | undefined): void {
  if (value === undefined) return;
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 64) return;
  const name = value.toUpperCase().replace(/^SIG/, '');
  if (Object.hasOwn(constants.signals, `SIG${name}`) || /^RT(MIN|MAX)([+-]\d{1,2})?$/.test(name)) return;
  throw usageError(`-s/--signal: unknown signal "${value}"`, 'e.g. -s SIGHUP, -s TERM or -s 9');
}

export const run: CommandRun = (ctx, { args, options, global }) => {
  checkSignal(options.signal as string | undefined);
  return withProject(ctx, global, async ({ compose }, { name }) => {
    await compose.kill(name, { services: args, signal: options.signal as string | undefined });
  });
};
