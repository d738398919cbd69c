// A real terminal for tests: tmux runs a program in a pseudo-terminal of a given size and tells us
// what the screen (and the scrollback above it) shows once the program is done. Each Terminal has
// its own tmux server socket, killed at the end, so tests never meet each other or a user's tmux.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Installs tmux and zsh when it can (root on Debian), or fails with what to install. */
export function requireTerminalTools(): void {
  try {
    execFileSync('bash', ['scripts/ensure-terminal-tools.sh'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`terminal tests cannot run: ${stderr}`);
  }
}

/** Variables of the test run that change how tscompose decides on colour and live display. */
const inheritedCiMarkers = ['CI', 'NO_COLOR', 'FORCE_COLOR'];

export interface TerminalOptions {
  columns: number;
  rows: number;
  cwd?: string;
  env?: Record<string, string>;
}

export class Terminal {
  private readonly socket = `tsc-test-${randomBytes(4).toString('hex')}`;
  private started = false;

  constructor(private readonly options: TerminalOptions) {}

  private tmux(...args: string[]) {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { cwd: this.options.cwd ?? root });
  }

  /**
   * Runs a shell command in the terminal. When it exits, the pane stays (remain-on-exit) and shows
   * `[exit N]` so that `waitForExit` knows.
   */
  async start(command: string): Promise<void> {
    const env = Object.entries(this.options.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
    // A test terminal stands for a person's terminal: the CI markers of the test run (CI=true in
    // the project's CI) must not reach it, or every TTY-aware program would fall back to plain output.
    const unset = `unset ${inheritedCiMarkers.join(' ')}; `;
    const script = `${unset}${env.length ? `export ${env.join(' ')}; ` : ''}${command}; echo "[exit $?]"; sleep 600`;
    await this.tmux(
      'new-session',
      '-d',
      '-x',
      String(this.options.columns),
      '-y',
      String(this.options.rows),
      'bash',
      '--norc',
      '--noprofile',
      '-c',
      script,
    );
    this.started = true;
    await this.tmux('set-option', '-g', 'history-limit', '5000');
  }

  /** The visible screen, or with `history` the scrollback above it too; trailing blanks removed. */
  async capture(options: { history?: boolean; escapes?: boolean } = {}): Promise<string> {
    const args = ['capture-pane', '-p'];
    if (options.history) args.push('-S', '-');
    if (options.escapes) args.push('-e');
    const { stdout } = await this.tmux(...args);
    return stdout
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '\n');
  }

  /** Types into the terminal: text as is, and tmux key names such as `Tab` or `Enter`. */
  async type(...keys: string[]): Promise<void> {
    for (const key of keys)
      if (/^(Tab|Enter|Escape|C-[a-z])$/.test(key)) await this.tmux('send-keys', key);
      else await this.tmux('send-keys', '-l', key);
  }

  /** Waits until the screen matches, and returns it. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.capture();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline)
        throw new Error(
          `the screen never showed ${pattern}; it shows (with the scrollback above):\n${await this.capture({ history: true })}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the command has exited and returns its exit code. */
  async waitForExit(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = /\[exit (\d+)\]/.exec(await this.capture({ history: true }));
      if (match) return Number(match[1]);
      if (Date.now() > deadline) throw new Error(`timed out; the screen shows:\n${await this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    if (this.started) await this.tmux('kill-server').catch(() => undefined);
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
