import { describe, expect, it } from 'vitest';
import {
  canonicalService,
  hostsMap,
  parsePortSpec,
  parseVolumeSpec,
} from '../../../src/compose/canonical.js';
import { PathIssue } from '../../../src/compose/issue.js';
import { splitShellWords } from '../../../src/compose/shellwords.js';

const at = ['services', 'a', 'ports', 0];
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('ports', () => {
  it.each([
    ['80', [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    [
      '127.0.0.1:8443:443/tcp',
      [{ mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: '8443', protocol: 'tcp' }],
    ],
    ['[::1]:53:53/udp', [{ mode: 'ingress', host_ip: '::1', target: 53, published: '53', protocol: 'udp' }]],
    ['127.0.0.1::81', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 81, protocol: 'tcp' }]],
    ['8000-8002:80', [{ mode: 'ingress', target: 80, published: '8000-8002', protocol: 'tcp' }]],
    [
      '9000-9001:9000-9001',
      [
        { mode: 'ingress', target: 9000, published: '9000', protocol: 'tcp' },
        { mode: 'ingress', target: 9001, published: '9001', protocol: 'tcp' },
      ],
    ],
  ])('%s', (spec, expected) => {
    expect(plain(parsePortSpec(spec, at))).toEqual(expected);
  });

  it.each(['::1:7000:7000', '80:80:80:80', 'abc', '0', '70000', '1-2:3-5'])('refuses %s', (spec) => {
    expect(() => parsePortSpec(spec, at)).toThrow(PathIssue);
  });
});

describe('volumes', () => {
  it.each([
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['data:/data', { type: 'volume', source: 'data', target: '/data', volume: {} }],
    [
      'data:/data:ro,nocopy',
      { type: 'volume', source: 'data', target: '/data', read_only: true, volume: { nocopy: true } },
    ],
    [
      './src:/src/:z',
      { type: 'bind', source: './src', target: '/src', bind: { selinux: 'z', create_host_path: true } },
    ],
    [
      '~/x:/x:rslave',
      { type: 'bind', source: '~/x', target: '/x', bind: { propagation: 'rslave', create_host_path: true } },
    ],
    // compose-go reads a single letter before a colon as a Windows drive
    ['a:b:c:d', { type: 'bind', source: 'a:b', target: 'c:d', bind: { create_host_path: true } }],
    ['v:/v', { type: 'volume', target: 'v:/v', volume: {} }],
  ])('%s', (spec, expected) => {
    expect(parseVolumeSpec(spec, at)).toEqual(expected);
  });

  it('refuses empty sections and too many colons', () => {
    expect(() => parseVolumeSpec('ab::c', at)).toThrow(/empty section/);
    expect(() => parseVolumeSpec('ab:/c:ro:x', at)).toThrow(/too many colons/);
  });
});

describe('command words', () => {
  it.each([
    ['echo "hello world" \'single\' plain', ['echo', 'hello world', 'single', 'plain']],
    ['a\\ b "c\\"d"', ['a b', 'c"d']],
    ['sh -c "x | y" > out', ['sh', '-c', 'x | y']],
    ['', []],
  ])('%s', (text, words) => {
    expect(splitShellWords(text).words).toEqual(words);
  });

  it('says what it dropped and what is unterminated', () => {
    expect(splitShellWords('a && b').dropped).toBe('&& b');
    expect(splitShellWords('echo "oops').unterminated).toBe(true);
  });
});

describe('canonicalService', () => {
  const warnings: string[] = [];
  const ctx = { warn: (m: string) => warnings.push(m) };

  it('turns short syntax into long syntax', () => {
    const service = canonicalService(
      {
        command: 'run "a b"',
        environment: ['A=1', 'B', 'C=x=y'],
        labels: ['l', 'm=1'],
        depends_on: ['db'],
        networks: ['front'],
        healthcheck: { test: 'curl x', interval: '90s' },
        build: './app',
        mem_limit: '1g',
        stop_grace_period: '1m',
        secrets: ['s'],
        devices: ['/dev/a', '/dev/b:/dev/c:r'],
        ulimits: { nproc: 5, nofile: { soft: 1, hard: 2 } },
        extra_hosts: { h: ['1.1.1.1', '::1'] },
        env_file: 'a.env',
        tmpfs: '/t',
      },
      ['services', 'a'],
      ctx,
    );
    expect(plain(service)).toEqual({
      command: ['run', 'a b'],
      environment: { A: '1', B: null, C: 'x=y' },
      labels: { l: '', m: '1' },
      depends_on: { db: { condition: 'service_started', required: true } },
      networks: { front: null },
      healthcheck: { test: ['CMD-SHELL', 'curl x'], interval: '1m30s' },
      build: { context: './app' },
      mem_limit: 1073741824,
      stop_grace_period: '1m0s',
      secrets: [{ source: 's', target: '/run/secrets/s' }],
      devices: [
        { source: '/dev/a', target: '/dev/a', permissions: 'rwm' },
        { source: '/dev/b', target: '/dev/c', permissions: 'r' },
      ],
      ulimits: { nproc: 5, nofile: { soft: 1, hard: 2 } },
      extra_hosts: ['h=1.1.1.1', 'h=::1'],
      env_file: [{ path: 'a.env', required: true }],
      tmpfs: ['/t'],
    });
  });

  it('warns when a string command is cut at a shell operator', () => {
    canonicalService({ command: 'a && b' }, ['services', 'a'], ctx);
    expect(warnings.at(-1)).toContain('"&& b" is ignored');
  });

  it('maps extra_hosts lines to host → addresses', () => {
    expect(hostsMap(['a:1.1.1.1', 'a=2.2.2.2', 'b:[::1]', 'c=::2'])).toEqual({
      a: ['1.1.1.1', '2.2.2.2'],
      b: ['::1'],
      c: ['::2'],
    });
  });
});

describe('isIpAddress', () => {
  it('agrees with node:net on addresses and non-addresses', async () => {
    const { isIP } = await import('node:net');
    const { isIpAddress } = await import('../../../src/compose/canonical.js');
    const samples = [
      '127.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '256.1.1.1',
      '1.2.3',
      '01.2.3.4',
      '::',
      '::1',
      '1::',
      'fe80::1',
      '2001:db8::10',
      '2001:db8:0:0:0:0:0:1',
      '2001:db8::1::2',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:1.2.3.4',
      '1:2:3:4:5:6:1.2.3.4',
      ':::',
      'g::1',
      '12345::1',
      'localhost',
      '',
      '80:80',
    ];
    for (const s of samples) expect([s, isIpAddress(s)]).toEqual([s, isIP(s) !== 0]);
  });
});
