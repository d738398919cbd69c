import { runOneOff } from '../../app/run.js';
import { usageError } from '../../core/errors.js';
import { selectedServices } from '../../reconcile/plan.js';
import type { CommandRun } from '../context.js';
import { loadFromCli, openSession } from '../session.js';
import { tscomposeVersion } from '../version.js';
import { terminal } from './exec.js';

interface RunFlags {
  rm?: boolean;
  detach?: boolean;
  env?: string[];
  entrypoint?: string;
  deps?: boolean;
  user?: string;
  workdir?: string;
  name?: string;
  tty?: boolean;
  servicePorts?: boolean;
  label?: string[];
  interactive?: boolean;
  build?: boolean;
}

const pairs = (values: string[] | undefined, what: string) => {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at <= 0) throw usageError(`${what} takes KEY=VALUE, not "${value}"`, `e.g. ${what} DEBUG=1`);
    out[value.slice(0, at)] = value.slice(at + 1);
  }
  return out;
};

/** `run SERVICE [COMMAND...]`: a one-off container; its exit code is ours. */
export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as RunFlags;
  const [service, ...command] = args;
  if (!service) throw usageError('run needs a service', 'tscompose run --rm web sh');
  // checked before anything is loaded or started
  pairs(flags.env, '-e');
  pairs(flags.label, '--label');
  const loaded = await loadFromCli(ctx, global);
  const session = await openSession(ctx, global);
  const term = terminal(ctx, flags.tty !== false && !flags.detach);
  try {
    // the services it depends on are brought up first, as `up` would
    if (flags.deps !== false) {
      const deps = [...selectedServices(loaded.project, [service], false).chosen].filter(
        (s) => s !== service,
      );
      if (deps.length) await session.compose.up(loaded, { services: deps, build: flags.build });
    }
    await session.finishProgress();
    const env = pairs(flags.env, '-e');
    const result = await term.raw(() =>
      runOneOff(
        session.engine,
        loaded,
        tscomposeVersion,
        {
          service,
          command,
          entrypoint: flags.entrypoint ? [flags.entrypoint] : undefined,
          env,
          user: flags.user,
          workdir: flags.workdir,
          name: flags.name,
          servicePorts: flags.servicePorts,
          remove: flags.rm,
          detach: flags.detach,
          tty: term.tty,
          interactive: flags.interactive !== false && !flags.detach,
          labels: pairs(flags.label, '--label'),
          signal: ctx.signal,
        },
        { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, size: term.size },
      ),
    );
    if (flags.detach) ctx.stdout.write(`${result.container}\n`);
    return result.exitCode;
  } finally {
    await session.close();
  }
};
