import { existsSync } from 'node:fs';
import { ComposeService, type LoadedProject } from '../app/compose-service.js';
import { isTsComposeError, usageError } from '../core/errors.js';
import type { ProgressListener } from '../core/events.js';
import { loadProject } from '../compose/load.js';
import type { Engine } from '../engine/engine.js';
import { createProgressRelay } from '../ui/relay.js';
import type { CliContext, GlobalOptions } from './context.js';
import { openProgress } from './output.js';
import { projectLock } from './project-lock.js';
import { loaderIO, projectLoadOptions } from './project-options.js';
import { tscomposeVersion } from './version.js';

/** What the engine-facing commands share: the project, the engine, progress and the use cases. */

export async function loadFromCli(ctx: CliContext, global: GlobalOptions): Promise<LoadedProject> {
  const result = await loadProject(projectLoadOptions(global, ctx.env), loaderIO(ctx));
  for (const warning of result.warnings) ctx.stderr.write(`WARN ${warning}\n`);
  return { project: result.project, source: result.source };
}

/**
 * The project name for commands that work from labels alone (down, ps, logs, stop...): from the
 * compose file when there is one, else from -p or COMPOSE_PROJECT_NAME.
 */
export async function projectFromCli(
  ctx: CliContext,
  global: GlobalOptions,
): Promise<{ name: string; loaded?: LoadedProject }> {
  try {
    const loaded = await loadFromCli(ctx, global);
    return { name: loaded.project.name, loaded };
  } catch (error) {
    const name = global.projectName ?? ctx.env.COMPOSE_PROJECT_NAME;
    if (isTsComposeError(error) && error.code === 'compose.no-file' && name) return { name };
    throw error;
  }
}

/** The engine client: its module is imported here only, so commands without the engine never load it. */
export async function openEngine(ctx: CliContext): Promise<Engine> {
  const { createDockerEngine } = await import('../engine/docker-engine.js');
  return createDockerEngine({ env: ctx.env });
}

/** Runs `work` with an engine client, then releases its connections. */
export async function withEngine<T>(ctx: CliContext, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(ctx);
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

export interface Session {
  engine: Engine;
  compose: ComposeService;
  /** Progress of the engine work, shown as --progress says (src/cli/output.ts). */
  progress: ProgressListener;
  /** Ends the progress display, its final screen drawn: call it before printing anything else. */
  finishProgress(): Promise<void>;
  /** finishProgress, then releases the engine's connections. */
  close(): Promise<void>;
}

function parallelLimit(global: GlobalOptions, env: CliContext['env']): number | undefined {
  const value =
    global.parallel ?? (env.COMPOSE_PARALLEL_LIMIT ? Number(env.COMPOSE_PARALLEL_LIMIT) : undefined);
  if (value === undefined || value < 0) return undefined;
  if (!Number.isInteger(value) || value === 0)
    throw usageError(`--parallel must be a positive whole number or -1, not ${String(value)}`);
  return value;
}

export async function openSession(ctx: CliContext, global: GlobalOptions): Promise<Session> {
  const engine = await openEngine(ctx);
  const relay = createProgressRelay(() => openProgress(ctx, global));
  const progress = relay.emit;
  const lock = projectLock(ctx.env.DOCKER_HOST || 'unix:///var/run/docker.sock', ctx.signal);
  const compose = new ComposeService({
    engine,
    progress,
    signal: ctx.signal,
    parallel: parallelLimit(global, ctx.env),
    pathExists: existsSync,
    version: tscomposeVersion,
    lock: (project) => lock(project, (message) => progress({ type: 'info', message })),
  });
  return {
    engine,
    compose,
    progress,
    finishProgress: relay.finish,
    close: async () => {
      await relay.finish();
      engine.close();
    },
  };
}

/** Runs `work` with the project (from the file, or -p alone) and an open session, then closes it. */
export async function withProject<T>(
  ctx: CliContext,
  global: GlobalOptions,
  work: (session: Session, project: { name: string; loaded?: LoadedProject }) => Promise<T>,
): Promise<T> {
  const project = await projectFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    return await work(session, project);
  } finally {
    await session.close();
  }
}
