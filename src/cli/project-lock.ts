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

/** Where the lock of a project on an engine lives (one directory per user). */
export function projectLockPath(engineUrl: string, project: string): string {
  const dir = join(tmpdir(), `tscompose-${process.getuid?.() ?? 'user'}`);
  const key = createHash('sha256').update(`${engineUrl}\n${project}`).digest('hex').slice(0, 16);
  return join(dir, `${project}-${key}.lock`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid in a lock file; -1 for a file being written (no pid yet, and young); NaN when it is gone. */
function ownerOf(file: string): number {
  try {
    const owner = Number(readFileSync(file, 'utf8'));
    if (!owner && Date.now() - statSync(file).mtimeMs < 2000) return -1;
    return owner;
  } catch {
    return NaN;
  }
}

const unlink = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
};

/**
 * Removes a lock file whose owner is gone. Runs that found the same dead owner take turns through a
 * second file, and the owner is read again under it: without that, a run could remove the lock that
 * another one has just taken over, and both would go on. A guard older than a few seconds was left
 * by a run killed in this very step, and is removed.
 */
function takeOverStale(file: string): boolean {
  const guard = `${file}.takeover`;
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > 5000) unlink(guard);
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    const owner = ownerOf(file);
    if (owner !== -1 && !Number.isNaN(owner) && !(owner > 0 && alive(owner))) unlink(file);
    return true;
  } finally {
    unlink(guard);
  }
}

export function projectLock(engineUrl: string, signal: AbortSignal): ProjectLock {
  return async (project, onWait) => {
    const file = projectLockPath(engineUrl, project);
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    let told = false;
    for (;;) {
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        return () => unlink(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = ownerOf(file);
      if (Number.isNaN(owner)) continue;
      if (owner !== -1 && !(owner > 0 && alive(owner))) {
        // another run is taking it over: its turn first
        if (!takeOverStale(file)) await sleep(20, signal);
        continue;
      }
      if (!told) onWait(`waiting for another tscompose run on project ${project} (pid ${owner}) to finish`);
      told = true;
      await sleep(100, signal);
    }
  };
}
