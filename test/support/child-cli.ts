// The bundled CLI (cli-bundle.ts) as a child process, as a user's shell runs it: its own pid (for
// signals and the project lock), its exit code or the signal that ended it, and what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import type { BundledCli } from './cli-bundle.js';

export interface ChildExit {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

export interface ChildRun {
  child: ChildProcess;
  exit: Promise<ChildExit>;
  /** Resolves once stderr matches, or when the process ends first. */
  stderrMatch(pattern: RegExp): Promise<void>;
}

export function spawnCli(
  cli: BundledCli,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): ChildRun {
  const started = Date.now();
  const child = spawn(process.execPath, [cli.main, ...args], {
    cwd: options.cwd,
    env: { ...process.env, CI: 'true', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<ChildExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  const stderrMatch = async (pattern: RegExp) => {
    while (!pattern.test(stderr) && child.exitCode === null && child.signalCode === null)
      await new Promise((r) => setTimeout(r, 5));
  };
  return { child, exit, stderrMatch };
}

/** Runs the CLI to its end. */
export function runCli(
  cli: BundledCli,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ChildExit> {
  return spawnCli(cli, args, options).exit;
}

/** Lines of a stack trace (`    at fn (file:line:col)`) or an internal error, which users must never see. */
export const stackTrace = /^\s+at .+[:(]|internal error/m;
