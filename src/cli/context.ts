import type { Readable, Writable } from 'node:stream';

/** What a command may touch of the world; main.ts builds it from `process`, tests build their own. */
export interface CliContext {
  argv: string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  /** Fires on the first Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /**
   * Set by a command that handles a second Ctrl-C itself (attached `up`: kill instead of stop);
   * when unset, the second Ctrl-C exits at once.
   */
  onSecondInterrupt?: () => void;
}

/** Options that every command accepts, as Compose's root command does. */
export interface GlobalOptions {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  profile?: string[];
  envFile?: string[];
  parallel?: number;
  progress?: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  ansi?: 'auto' | 'never' | 'always';
  dryRun?: boolean;
  verbose?: boolean;
}

export interface CommandInput<O = Record<string, unknown>> {
  args: string[];
  options: O;
  global: GlobalOptions;
}

/** A command's implementation; its module is imported only when the command runs. */
export type CommandRun = (ctx: CliContext, input: CommandInput) => Promise<number | void>;
