import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../core/abort.js';

/**
 * Runs of tscompose that change the same project on the same engine take turns. Engine 20.10 checks
 * network names only loosely (two concurrent creations can both succeed, and containers then fail
 * with "network is ambiguous"), so two `up` started together would otherwise race. The lock is a
 * file created exclusively, holding the owner's pid; a file whose owner is gone is taken over.
 * It does not cover other tools or other machines: there, the engine's own checks are all there is.
 */
export type ProjectLock = (project: string, onWait: (message: string) => void) => Promise<() => void>;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function projectLock(engineUrl: string, signal: AbortSignal): ProjectLock {
  const dir = join(tmpdir(), `tscompose-${process.getuid?.() ?? 'user'}`);
  return async (project, onWait) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = createHash('sha256').update(`${engineUrl}\n${project}`).digest('hex').slice(0, 16);
    const file = join(dir, `${project}-${key}.lock`);
    let told = false;
    for (;;) {
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        return () => {
          try {
            unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let owner = NaN;
      try {
        owner = Number(readFileSync(file, 'utf8'));
        // a file without a pid yet is being written: young ones are left alone
        if (!owner && Date.now() - statSync(file).mtimeMs < 2000) owner = -1;
      } catch {
        continue;
      }
      if (owner !== -1 && !(owner > 0 && alive(owner))) {
        try {
          unlinkSync(file);
        } catch {
          // someone else took it over first
        }
        continue;
      }
      if (!told) onWait(`waiting for another tscompose run on project ${project} (pid ${owner}) to finish`);
      told = true;
      await sleep(100, signal);
    }
  };
}
