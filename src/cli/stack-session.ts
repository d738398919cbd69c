import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StackService } from '../app/stack.js';
import type { CliContext, GlobalOptions } from './context.js';
import { openSession, type Session } from './session.js';
import { tscomposeVersion } from './version.js';

/** A session for the Swarm commands: the engine session plus the Swarm client and the stack use cases. */
export interface StackSession {
  session: Session;
  stacks: StackService;
  close(): Promise<void>;
}

export async function openStackSession(ctx: CliContext, global: GlobalOptions): Promise<StackSession> {
  const session = await openSession(ctx, global);
  const { createDockerSwarm } = await import('../engine/docker-swarm.js');
  const swarm = createDockerSwarm({ env: ctx.env });
  const stacks = new StackService({
    engine: session.engine,
    swarm,
    progress: session.progress,
    signal: ctx.signal,
    pathExists: existsSync,
    readFile: (path) => readFile(path),
    version: tscomposeVersion,
  });
  return {
    session,
    stacks,
    close: async () => {
      await session.close();
      swarm.close();
    },
  };
}
