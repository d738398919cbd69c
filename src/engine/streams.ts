import type { Readable, Writable } from 'node:stream';

/**
 * The engine's multiplexed stream format (logs and attach of containers without a TTY): frames of an
 * 8-byte header (stream type, 3 zero bytes, big-endian length) followed by the payload.
 */
export interface Frame {
  stream: 'stdin' | 'stdout' | 'stderr';
  data: Buffer;
}

const streamNames = ['stdin', 'stdout', 'stderr'] as const;

export async function* demux(source: AsyncIterable<Buffer | string>): AsyncGenerator<Frame> {
  let pending = Buffer.alloc(0);
  for await (const chunk of source) {
    pending = pending.length ? Buffer.concat([pending, Buffer.from(chunk)]) : Buffer.from(chunk);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      yield { stream: streamNames[pending[0] ?? 1] ?? 'stdout', data: pending.subarray(8, 8 + size) };
      pending = pending.subarray(8 + size);
    }
  }
}

/** Copies a multiplexed (or, with `tty`, raw) stream to stdout and stderr; resolves when it ends. */
export async function copyStreams(
  source: Readable,
  tty: boolean,
  stdout: Writable,
  stderr: Writable,
): Promise<void> {
  if (tty) {
    for await (const chunk of source) stdout.write(chunk as Buffer);
    return;
  }
  for await (const frame of demux(source)) (frame.stream === 'stderr' ? stderr : stdout).write(frame.data);
}

/** Splits a byte stream into text lines (without the newline); a last partial line is yielded too. */
export async function* lines(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of source) {
    rest += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let index: number;
    while ((index = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, index).replace(/\r$/, '');
      rest = rest.slice(index + 1);
    }
  }
  if (rest) yield rest;
}
