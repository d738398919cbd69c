/**
 * The live display on a terminal, drawn by listr2: a header, one line per resource with its icon,
 * state and duration, the last lines of a running build under it (gone once it is built), and a
 * summary line once everything is done.
 *
 *     [+] Running 2/3
 *      ✔ Network myproj_default     Created                                   0.1s
 *      ⠙ Image myproj-web           Building                                  4.2s
 *          Step 3/5 : RUN apt-get install -y nginx
 *      ✔ Container myproj-db-1      Healthy                                   5.6s
 *
 * A resource's line goes back to a spinner when it has more to do (Created, then Starting), as in
 * Compose, so listr2's tasks stay open until the display closes and each line draws its own icon;
 * listr2 keeps the list, redraws it in place and leaves the final screen, with no spinner in it.
 * Resources appear as their first events arrive: each batch becomes a task list that ends with one
 * untitled task waiting for the next batch, which listr2 renders flat.
 */
import {
  DefaultRenderer,
  Listr,
  ListrDefaultRendererLogLevels,
  ListrEventType,
  ListrLogger,
  ProcessOutput,
  type ListrTask,
} from 'listr2';
import type { ProgressEvent, ResourceStatus } from '../core/events.js';
import { createPalette, displayWidth, padEnd, truncate, type Palette } from './ansi.js';
import type { ProgressSink, ProgressSinkOptions } from './sink.js';
import { cleanOutputLine, formatDuration, resourceLabel } from './progress-text.js';

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const tickMs = 100;
/** Lines of a running step's output shown under it. */
const outputLines = 5;

/** A line of the display: a resource, or a warning/notice that is not about a known resource. */
interface Line {
  label: string;
  status: ResourceStatus | 'note';
  text: string;
  detail?: string | undefined;
  /** When the current (or last) step of the line began. */
  startedAt: number;
  /** Duration given by the event, or measured when the resource stopped working. */
  durationMs?: number | undefined;
  output: string[];
  /** The listr2 task that draws this line, once its batch has started. */
  task?: TitledTask | undefined;
}

/** What this display changes on a listr2 task: its title, redrawn at the next refresh. */
interface TitledTask {
  title?: string | undefined;
}

/**
 * listr2's default renderer, drawing on the stream we give it even when stdout is not a terminal.
 * Titles arrive fitted to that stream's width (listr2 would measure stdout's), so lines are only split.
 */
class LiveRenderer extends DefaultRenderer {
  static override nonTTY = true;

  protected override format(message: string, icon: string, level: number): string[] {
    const text = icon ? `${icon} ${message}` : message;
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ' '.repeat(level * 2) + line.trimEnd());
  }
}

const levels = Object.values(ListrDefaultRendererLogLevels);
const noIcons = Object.fromEntries(levels.map((level) => [level, ''])) as Record<
  ListrDefaultRendererLogLevels,
  string
>;
const noColors = Object.fromEntries(levels.map((level) => [level, (text?: string) => text ?? ''])) as Record<
  ListrDefaultRendererLogLevels,
  (text?: string) => string
>;

export function createTtyProgress(options: ProgressSinkOptions): ProgressSink {
  return new TtyProgress(options);
}

class TtyProgress implements ProgressSink {
  readonly mode = 'tty' as const;
  private readonly palette: Palette;
  private readonly lines: Line[] = [];
  private readonly byId = new Map<string, Line>();
  /** Lines not yet handed to listr2, and the continuation waiting for them. */
  private pending: Line[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly allClosed: Promise<void>;
  private releaseAll!: () => void;
  private readonly listr: Listr<unknown, typeof LiveRenderer>;
  private readonly running: Promise<unknown>;
  private header: TitledTask | undefined;
  private summary: Extract<ProgressEvent, { type: 'summary' }> | undefined;
  private frame = 0;
  private timer: unknown;

  constructor(private readonly options: ProgressSinkOptions) {
    this.palette = createPalette(options.color);
    this.allClosed = new Promise((resolve) => (this.releaseAll = resolve));
    const logger = new ListrLogger<ListrDefaultRendererLogLevels>({
      // ProcessOutput only writes to and temporarily replaces `write` of these streams
      processOutput: new ProcessOutput(
        options.stream as NodeJS.WriteStream,
        (options.otherStream ?? options.stream) as NodeJS.WriteStream,
        {
          leaveEmptyLine: false,
        },
      ),
    });
    this.listr = new Listr<unknown, typeof LiveRenderer>(
      [
        {
          title: this.headerTitle(),
          task: async (_ctx, task) => {
            this.header = task.task;
            // the display may have closed before listr2 got here: draw what is true now
            this.header.title = this.headerTitle();
            await this.allClosed;
          },
        },
        this.continuation(),
      ],
      {
        concurrent: true,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: LiveRenderer,
        rendererOptions: {
          logger,
          lazy: true,
          collapseSubtasks: false,
          // every line draws its own icon: listr2's would not follow a line back to working
          icon: noIcons,
          color: noColors,
        },
      },
    );
    this.running = this.listr.run().catch(() => undefined);
    this.tick();
  }

  emit(event: ProgressEvent): void {
    if (this.closing) return;
    const now = this.options.clock.now();
    switch (event.type) {
      case 'resource': {
        const key = `${event.kind}\u0000${event.id}`;
        let line = this.byId.get(key);
        if (!line) {
          line = this.addLine(resourceLabel(event.kind, event.id), event.status, now);
          this.byId.set(key, line);
          this.byId.set(event.id, line);
        }
        this.update(line, event, now);
        break;
      }
      case 'output': {
        const line = this.byId.get(event.id);
        const text = cleanOutputLine(event.line);
        if (line && text) {
          line.output.push(text);
          if (line.output.length > outputLines) line.output.splice(0, line.output.length - outputLines);
        }
        break;
      }
      case 'info': {
        const line = event.id === undefined ? undefined : this.byId.get(event.id);
        if (line) line.output.push(event.message);
        else this.addNote(event.message, 'info', now);
        break;
      }
      case 'warning':
        this.addNote(event.id ? `${event.id}: ${event.message}` : event.message, 'warning', now);
        break;
      case 'summary':
        this.summary = event;
        break;
    }
  }

  close(): Promise<void> {
    this.closed ??= this.finish();
    return this.closed;
  }

  private async finish(): Promise<void> {
    this.closing = true;
    this.options.clock.clearTimeout(this.timer);
    const now = this.options.clock.now();
    for (const line of this.lines)
      if (line.status === 'working') {
        // the work stopped without saying how it ended (an error elsewhere, Ctrl-C)
        line.status = 'error';
        line.detail = line.detail ? `${line.detail}, unfinished` : 'unfinished';
        line.durationMs = now - line.startedAt;
      }
    this.redraw(false);
    this.releaseAll();
    this.wake?.();
    await this.running;
    if (this.summary) this.options.stream.write(`${this.summaryLine(this.summary)}\n`);
  }

  private addLine(label: string, status: Line['status'], now: number): Line {
    const line: Line = { label, status, text: '', startedAt: now, output: [] };
    this.lines.push(line);
    this.pending.push(line);
    this.wake?.();
    return line;
  }

  private addNote(message: string, kind: 'info' | 'warning', now: number): void {
    const line = this.addLine(message, 'note', now);
    line.text = kind;
  }

  private update(line: Line, event: Extract<ProgressEvent, { type: 'resource' }>, now: number) {
    const wasWorking = line.status === 'working';
    line.status = event.status;
    line.text = event.text;
    line.detail = event.detail;
    if (event.status === 'working') {
      line.durationMs = undefined;
      // a new step of a resource that had finished one (Created, then Starting): its own clock
      if (!wasWorking) line.startedAt = now;
    } else {
      line.durationMs = event.durationMs ?? now - line.startedAt;
      // the step is over: its output collapses
      if (wasWorking || line.output.length) line.output = [];
    }
  }

  /** Waits for lines to appear, then hands them to listr2 followed by another continuation. */
  private continuation(): ListrTask<unknown, typeof LiveRenderer> {
    return {
      task: async (_ctx, task) => {
        while (this.pending.length === 0 && !this.closing)
          await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        const batch = this.pending;
        this.pending = [];
        if (batch.length === 0) return;
        return task.newListr(
          [
            ...batch.map((line): ListrTask<unknown, typeof LiveRenderer> => ({
              title: this.title(line, !this.closing),
              task: async (_c, lineTask) => {
                line.task = lineTask.task;
                line.task.title = this.title(line, !this.closing);
                await this.allClosed;
              },
            })),
            this.continuation(),
          ],
          { concurrent: true, exitOnError: false },
        );
      },
    };
  }

  private tick() {
    this.timer = this.options.clock.setTimeout(() => {
      if (this.closing) return;
      this.frame = (this.frame + 1) % spinnerFrames.length;
      this.redraw(true);
      this.tick();
    }, tickMs);
    // the animation alone must not keep the process alive if a caller never closes the display
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Sets every title from the lines, then asks listr2 for one redraw. */
  private redraw(live: boolean) {
    if (this.header) this.header.title = this.headerTitle();
    for (const line of this.lines) if (line.task) line.task.title = this.title(line, live);
    this.listr.events.emit(ListrEventType.SHOULD_REFRESH_RENDER);
  }

  private headerTitle(): string {
    const resources = this.lines.filter((l) => l.status !== 'note');
    if (resources.length === 0) return '';
    const done = resources.filter((l) => l.status !== 'working').length;
    return `[+] Running ${done}/${resources.length}`;
  }

  private width(): number {
    return Math.max(40, (this.options.stream.columns ?? 80) - 3);
  }

  private icon(line: Line): string {
    const p = this.palette;
    switch (line.status) {
      case 'working':
        return p.cyan(spinnerFrames[this.frame] ?? '⠋');
      case 'done':
        return p.green('✔');
      case 'warning':
        return p.yellow('!');
      case 'error':
        return p.red('✘');
      case 'note':
        return line.text === 'warning' ? p.yellow('!') : p.dim('i');
    }
  }

  /**
   * ` ✔ Network myproj_default  Created      0.1s`: the label padded to the longest one, the state,
   * and the duration flush right; a running step's last output lines underneath.
   */
  private title(line: Line, live: boolean): string {
    const p = this.palette;
    const width = this.width();
    if (line.status === 'note') {
      const text = truncate(line.label, width - 3);
      return ` ${this.icon(line)} ${line.text === 'warning' ? p.yellow(text) : p.dim(text)}`;
    }
    const labelWidth = Math.max(
      ...this.lines.filter((l) => l.status !== 'note').map((l) => displayWidth(l.label)),
    );
    const elapsed = line.durationMs ?? this.options.clock.now() - line.startedAt;
    const duration = formatDuration(elapsed);
    const room = width - 3 - duration.length - 2;
    const label = truncate(line.label, Math.max(10, Math.min(labelWidth, room - 10)));
    const state = truncate(
      line.detail ? `${line.text} (${line.detail})` : line.text,
      Math.max(0, room - displayWidth(label) - 2),
    );
    const styled =
      line.status === 'error' ? p.red(state) : line.status === 'warning' ? p.yellow(state) : state;
    const left = `${padEnd(label, Math.min(labelWidth, room - 10))}  ${styled}`;
    const gap = Math.max(1, width - 3 - displayWidth(left) - duration.length);
    let title = ` ${this.icon(line)} ${left}${' '.repeat(gap)}${p.dim(duration)}`;
    if (live && line.status === 'working')
      for (const out of line.output) title += `\n      ${p.dim(truncate(out, width - 6))}`;
    return title;
  }

  private summaryLine(summary: Extract<ProgressEvent, { type: 'summary' }>): string {
    const p = this.palette;
    const icon = summary.ok ? p.green('✔') : p.red('✘');
    return `${icon} ${summary.ok ? summary.text : p.red(summary.text)} ${p.dim(`in ${formatDuration(summary.durationMs)}`)}`;
  }
}
