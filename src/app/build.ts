import { systemClock, type Clock } from '../core/clock.js';
import { TsComposeError } from '../core/errors.js';
import type { ProgressListener } from '../core/events.js';
import type { Project } from '../compose/model.js';
import type { Engine } from '../engine/engine.js';
import { buildServices, inspectBuildStates, type BuiltImage } from '../build/build-services.js';
import { withMissingBases } from '../build/needs-build.js';

/** `tscompose build [SERVICE...]`. */
export interface BuildOptions {
  /** The services named on the command line; none means every service with `build:`. */
  services: string[];
  noCache?: boolean;
  pull?: boolean;
  /** `--build-arg KEY=VALUE` (or `KEY`, read from the environment), for every service. */
  buildArgs?: string[];
  /** At most this many builds at once; undefined or negative: no bound. */
  parallel?: number;
  /** The project's environment (shell over env files): `args` without a value read it. */
  environment: Readonly<Record<string, string | undefined>>;
  /** tscompose's version, written to com.docker.compose.version. */
  version: string;
}

export interface BuildDeps {
  engine: Pick<Engine, 'buildImage' | 'inspectImage'>;
  progress: ProgressListener;
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Builds the images of the named services (all buildable ones by default), plus the images of
 * project services they start FROM when those are missing. A named service without `build:` has
 * nothing to build and is reported, not an error, as in Compose; an unknown name is an error.
 */
export async function build(project: Project, options: BuildOptions, deps: BuildDeps): Promise<BuiltImage[]> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  for (const name of options.services)
    if (!project.services[name])
      throw new TsComposeError(`no such service: ${name}`, {
        code: 'build.no-such-service',
        hint: `services of this project: ${Object.keys(project.services).sort().join(', ') || '(none)'}`,
      });
  const buildable = Object.keys(project.services)
    .filter((name) => project.services[name]!.build)
    .sort();
  for (const name of options.services)
    if (!project.services[name]!.build)
      deps.progress({
        type: 'info',
        id: name,
        message: 'has no build section: nothing to build',
      });

  const settings = {
    environment: options.environment,
    version: options.version,
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    ...(options.noCache ? { noCache: true } : {}),
    ...(options.pull ? { pull: true } : {}),
  };
  let selected = options.services.length
    ? options.services.filter((s) => project.services[s]!.build)
    : buildable;
  if (options.services.length && selected.length) {
    const states = await inspectBuildStates(
      project,
      buildable,
      { ...settings, withDigests: false },
      deps.engine,
    );
    selected = withMissingBases(states, selected);
  }
  if (selected.length === 0) return [];

  const built = await buildServices(
    project,
    selected,
    {
      ...settings,
      ...(options.parallel !== undefined && options.parallel > 0 ? { concurrency: options.parallel } : {}),
      clock,
    },
    deps.engine,
    deps.progress,
    deps.signal,
  );
  deps.progress({
    type: 'summary',
    text: `built ${built.length} image${built.length === 1 ? '' : 's'}`,
    durationMs: clock.now() - started,
    ok: true,
  });
  return built;
}
