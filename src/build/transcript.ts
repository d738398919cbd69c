import type { BuildMessage } from '../engine/engine.js';

export interface TranscriptLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A classic-builder step: `Step 3/7 : RUN make`. */
export interface BuildStep {
  index: number;
  total: number;
  instruction: string;
}

/** How many lines of the failing step a failure shows. */
export const FAILURE_TAIL_LINES = 20;

// The classic builder marks a RUN's stderr with these colour codes.
const STDERR_START = '\u001b[91m';
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;
/** Lines the builder writes about itself, not a step's output. */
const CHATTER =
  /^(?: ---> |Removing intermediate container |Successfully (?:built|tagged) |Sending build context )/;
/** Pull progress bars repeat for every chunk downloaded: only their final states are kept. */
const PROGRESS_BAR = /\[[=> ]*\]/;

/**
 * Turns one build's messages into lines and remembers what a failure report needs: the full log,
 * the step running last, the last lines of that step's own output, the engine's error and the
 * image id. Stream text arrives cut anywhere; lines are whole here.
 */
export class BuildTranscript {
  readonly log: TranscriptLine[] = [];
  step: BuildStep | undefined;
  error: { message: string; code?: number } | undefined;
  imageId: string | undefined;
  private stepOutput: string[] = [];
  private partial = '';
  private partialStream: 'stdout' | 'stderr' = 'stdout';

  /** Takes one message and returns the lines it completed. */
  push(message: BuildMessage): TranscriptLine[] {
    switch (message.kind) {
      case 'stream':
        return this.pushText(message.text);
      case 'status':
        if (PROGRESS_BAR.test(message.text)) return [];
        return [...this.flush(), this.record({ stream: 'stdout', text: message.text })];
      case 'error': {
        this.error = message.code === undefined ? { message: message.message } : message;
        return [...this.flush(), this.record({ stream: 'stderr', text: message.message })];
      }
      case 'image-id':
        this.imageId = message.id;
        return [];
      default: {
        const never: never = message;
        throw new Error(`unexpected build message ${JSON.stringify(never)}`);
      }
    }
  }

  /** The text of a line not yet ended, when the stream is over. */
  flush(): TranscriptLine[] {
    if (!this.partial) return [];
    const line = { stream: this.partialStream, text: this.partial };
    this.partial = '';
    return [this.record(line)];
  }

  /** The last lines the failing (or last) step printed itself, builder chatter left out. */
  stepTail(count = FAILURE_TAIL_LINES): string[] {
    return this.stepOutput.slice(-count);
  }

  /** The exit status of the failed RUN, when the engine's error tells it. */
  exitStatus(): number | undefined {
    if (!this.error) return undefined;
    if (this.error.code !== undefined) return this.error.code;
    const m = /returned a non-zero code: (\d+)/.exec(this.error.message);
    return m ? Number(m[1]) : undefined;
  }

  private pushText(raw: string): TranscriptLine[] {
    const stream = raw.includes(STDERR_START) ? 'stderr' : 'stdout';
    const text = raw.replace(COLOUR_CODES, '');
    const out: TranscriptLine[] = [];
    let rest = text;
    if (this.partial === '') this.partialStream = stream;
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const line = (this.partial + rest.slice(0, newline)).replace(/\r$/, '');
      out.push(this.record({ stream: this.partial ? this.partialStream : stream, text: line }));
      this.partial = '';
      this.partialStream = stream;
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
    this.partial += rest;
    return out;
  }

  private record(line: TranscriptLine): TranscriptLine {
    this.log.push(line);
    const step = /^Step (\d+)\/(\d+) : (.*)$/.exec(line.text);
    if (step) {
      this.step = { index: Number(step[1]), total: Number(step[2]), instruction: step[3]! };
      this.stepOutput = [];
    } else if (!CHATTER.test(line.text) && this.error === undefined) {
      this.stepOutput.push(line.text);
      // keep a little more than is shown, not the whole step
      if (this.stepOutput.length > FAILURE_TAIL_LINES * 4) this.stepOutput.splice(0, FAILURE_TAIL_LINES * 3);
    }
    return line;
  }
}
