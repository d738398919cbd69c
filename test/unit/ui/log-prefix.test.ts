import { describe, expect, it } from 'vitest';
import { LogFormatter, logName, splitTimestamp } from '../../../src/ui/log-prefix.js';

describe('log lines', () => {
  it('pads every prefix to the longest name, as Compose does', () => {
    const format = new LogFormatter({ color: false, prefix: true, timestamps: false }, [
      'db-1',
      'webserver-1',
    ]);
    expect(format.line('db-1', 'hello from db')).toBe('db-1         | hello from db');
    expect(format.line('webserver-1', 'hi from web')).toBe('webserver-1  | hi from web');
    expect(format.exited('webserver-1', 3)).toBe('webserver-1 exited with code 3');
    expect(format.attaching(['db-1', 'webserver-1'])).toBe('Attaching to db-1, webserver-1');
  });

  it('gives each container its own colour around the prefix only', () => {
    const format = new LogFormatter({ color: true, prefix: true, timestamps: false }, ['db-1', 'web-1']);
    expect(format.line('db-1', 'a')).toBe('\u001b[36mdb-1   | \u001b[39ma');
    expect(format.line('web-1', 'b')).toBe('\u001b[33mweb-1  | \u001b[39mb');
  });

  it('drops the prefix with --no-log-prefix and puts timestamps first with -t', () => {
    const bare = new LogFormatter({ color: true, prefix: false, timestamps: true });
    expect(bare.line('db-1', 'ready', '2026-11-22T04:58:43.865462131Z')).toBe(
      '2026-11-22T04:58:43.865462131Z ready',
    );
    const stamped = new LogFormatter({ color: false, prefix: true, timestamps: true });
    expect(stamped.line('db-1', 'ready', '2026-11-22T04:58:43Z')).toBe('db-1  | 2026-11-22T04:58:43Z ready');
  });

  it('widens the prefixes when a longer name shows up', () => {
    const format = new LogFormatter({ color: false, prefix: true, timestamps: false }, ['db-1']);
    expect(format.line('db-1', 'x')).toBe('db-1  | x');
    expect(format.line('worker-10', 'y')).toBe('worker-10  | y');
    expect(format.line('db-1', 'z')).toBe('db-1       | z');
  });

  it('names containers as Compose does and splits engine timestamps', () => {
    expect(logName('/inception-nginx-1', 'inception')).toBe('nginx-1');
    expect(logName('my-nginx', 'inception')).toBe('my-nginx');
    expect(splitTimestamp('2026-11-22T04:58:44.003336366Z GET / 200')).toEqual({
      timestamp: '2026-11-22T04:58:44.003336366Z',
      line: 'GET / 200',
    });
    expect(splitTimestamp('no stamp here')).toEqual({ line: 'no stamp here' });
  });
});
