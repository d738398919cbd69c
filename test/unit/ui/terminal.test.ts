import { describe, expect, it } from 'vitest';
import { colorEnabled, isCI, resolveProgressMode } from '../../../src/ui/terminal.js';

describe('progress mode', () => {
  const tty = { env: {}, isTTY: true };
  const pipe = { env: {}, isTTY: false };

  it('draws live on a terminal and prints lines elsewhere', () => {
    expect(resolveProgressMode(tty)).toBe('tty');
    expect(resolveProgressMode(pipe)).toBe('plain');
  });

  it('prints lines in CI and on dumb terminals, even on a TTY', () => {
    expect(resolveProgressMode({ env: { CI: 'true' }, isTTY: true })).toBe('plain');
    expect(resolveProgressMode({ env: { CI: '1' }, isTTY: true })).toBe('plain');
    expect(resolveProgressMode({ env: { CI: 'false' }, isTTY: true })).toBe('tty');
    expect(resolveProgressMode({ env: { TERM: 'dumb' }, isTTY: true })).toBe('plain');
  });

  it('obeys an explicit --progress, then COMPOSE_PROGRESS', () => {
    expect(resolveProgressMode({ ...pipe, progress: 'tty' })).toBe('tty');
    expect(resolveProgressMode({ ...tty, progress: 'json' })).toBe('json');
    expect(resolveProgressMode({ ...tty, progress: 'quiet' })).toBe('quiet');
    expect(resolveProgressMode({ env: { COMPOSE_PROGRESS: 'json' }, isTTY: true })).toBe('json');
    expect(resolveProgressMode({ env: { COMPOSE_PROGRESS: 'json' }, isTTY: true, progress: 'plain' })).toBe(
      'plain',
    );
  });

  it('never draws live with --ansi never, and does with --ansi always', () => {
    expect(resolveProgressMode({ ...tty, ansi: 'never' })).toBe('plain');
    expect(resolveProgressMode({ ...tty, ansi: 'never', progress: 'tty' })).toBe('plain');
    expect(resolveProgressMode({ env: { COMPOSE_ANSI: 'never' }, isTTY: true })).toBe('plain');
    expect(resolveProgressMode({ ...pipe, ansi: 'always' })).toBe('tty');
  });
});

describe('colour', () => {
  it('colours terminals only', () => {
    expect(colorEnabled({ env: {}, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: {}, isTTY: false })).toBe(false);
  });

  it('honours NO_COLOR (any non-empty value), --no-color and --ansi never', () => {
    expect(colorEnabled({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(colorEnabled({ env: { NO_COLOR: '' }, isTTY: true })).toBe(true);
    expect(colorEnabled({ env: {}, isTTY: true, noColor: true })).toBe(false);
    expect(colorEnabled({ env: {}, isTTY: true, ansi: 'never' })).toBe(false);
  });

  it('lets --ansi always and FORCE_COLOR colour a pipe', () => {
    expect(colorEnabled({ env: { NO_COLOR: '1' }, isTTY: false, ansi: 'always' })).toBe(true);
    expect(colorEnabled({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(colorEnabled({ env: { FORCE_COLOR: '0' }, isTTY: false })).toBe(false);
  });
});

describe('CI detection', () => {
  it('reads CI as most CI systems set it', () => {
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: 'woodpecker' })).toBe(true);
    expect(isCI({ CI: '' })).toBe(false);
    expect(isCI({ CI: '0' })).toBe(false);
    expect(isCI({})).toBe(false);
  });
});
