import { describe, expect, it } from 'vitest';
import { durationNs, formatDuration, parseDuration, tryParseDuration } from '../../../src/core/duration.js';

describe('durations (Go syntax)', () => {
  it.each([
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['10us', 0.01],
    ['0', 0],
    ['-1s', -1000],
    ['1h2m3s', 3_723_000],
  ])('parseDuration(%s) = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '10', '10 seconds', '1x', 's'])('refuses %j', (text) => {
    expect(tryParseDuration(text)).toBeUndefined();
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });

  it.each([
    [90_000, '1m30s'],
    [60_000, '1m0s'],
    [3_600_000, '1h0m0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [0, '0s'],
    [0.001, '1µs'],
    [-2000, '-2s'],
  ])('formatDuration(%d) = %s, as Go prints it', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    ['1m30s', 90_000_000_000],
    ['500ms', 500_000_000],
    ['10us', 10_000],
    ['1ns', 1],
    ['0s', 0],
    ['0', 0],
  ])('durationNs(%s) = %d, the integer nanoseconds of the Engine API', (text, ns) => {
    expect(durationNs(text)).toBe(ns);
  });

  it('durationNs gives undefined for an absent or malformed duration', () => {
    expect(durationNs(undefined)).toBeUndefined();
    expect(durationNs('10 seconds')).toBeUndefined();
  });
});
