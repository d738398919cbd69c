import { describe, expect, it } from 'vitest';
import {
  normalizeImageRef,
  withLabelInstruction,
  parseInstructions,
  referencedImages,
  substituteArgs,
} from '../../../src/build/dockerfile.js';

describe('parseInstructions', () => {
  it('counts instructions as the builder counts steps, with the line of each keyword', () => {
    const text = [
      '# syntax comment',
      'FROM debian:bookworm AS base',
      '',
      'RUN apt-get update && \\',
      '    # a comment inside a continuation',
      '    apt-get install -y nginx',
      'copy . /srv',
      'CMD ["nginx"]',
    ].join('\n');
    expect(parseInstructions(text)).toEqual([
      { keyword: 'FROM', args: 'debian:bookworm AS base', line: 2 },
      { keyword: 'RUN', args: 'apt-get update && apt-get install -y nginx', line: 4 },
      { keyword: 'COPY', args: '. /srv', line: 7 },
      { keyword: 'CMD', args: '["nginx"]', line: 8 },
    ]);
  });

  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM x\nRUN a `\n  b\n';
    expect(parseInstructions(text).map((i) => i.args)).toEqual(['x', 'a b']);
  });
});

describe('referencedImages', () => {
  it('lists external FROM images, not stages nor scratch', () => {
    const text = [
      'FROM debian:bookworm AS build',
      'RUN make',
      'FROM scratch AS empty',
      'FROM --platform=linux/amd64 build',
      'COPY --from=build /out /out',
      'COPY --from=nginx:1.25 /etc/nginx /etc/nginx',
      'COPY --from=0 /x /x',
    ].join('\n');
    expect(referencedImages(text)).toEqual(['debian:bookworm', 'nginx:1.25']);
  });

  it('substitutes ARGs declared before the first FROM, build args first', () => {
    const text = 'ARG BASE=debian\nARG TAG="bookworm"\nFROM ${BASE}:$TAG\nARG LATE=x\nFROM $LATE\n';
    expect(referencedImages(text)).toEqual(['debian:bookworm']);
    expect(referencedImages(text, { TAG: '12' })).toEqual(['debian:12']);
    expect(substituteArgs('${A:-d}/${B:+set}', { B: '1' })).toBe('d/set');
  });
});

describe('normalizeImageRef', () => {
  it('spells one image one way', () => {
    expect(normalizeImageRef('debian')).toBe('debian:latest');
    expect(normalizeImageRef('docker.io/library/debian:bookworm')).toBe('debian:bookworm');
    expect(normalizeImageRef('localhost:5000/web')).toBe('localhost:5000/web:latest');
    expect(normalizeImageRef('proj-web:latest')).toBe('proj-web:latest');
    expect(normalizeImageRef('debian@sha256:abc')).toBe('debian@sha256:abc');
  });
});

describe('withLabelInstruction', () => {
  it('appends one LABEL line, quoting keys and values so that nothing is substituted', () => {
    expect(withLabelInstruction('FROM a\n', { 'x.y': 'say "hi" $HOME \\o/', z: '' })).toBe(
      'FROM a\nLABEL "x.y"="say \\"hi\\" \\$HOME \\\\o/" "z"=""\n',
    );
    expect(withLabelInstruction('FROM a', { k: 'v' })).toBe('FROM a\nLABEL "k"="v"\n');
  });

  it('escapes with the escape character of the parser directive', () => {
    expect(withLabelInstruction('# escape=`\nFROM a\n', { k: 'a`b"c\\d' })).toBe(
      '# escape=`\nFROM a\nLABEL "k"="a``b`"c\\d"\n',
    );
  });

  it('gives up on what one line cannot carry: newlines, "=" in a key, a continued last line', () => {
    expect(withLabelInstruction('FROM a\n', { k: 'two\nlines' })).toBeUndefined();
    expect(withLabelInstruction('FROM a\n', { 'k=v': 'x' })).toBeUndefined();
    expect(withLabelInstruction('FROM a\nRUN true \\\n\n', { k: 'v' })).toBeUndefined();
  });
});
