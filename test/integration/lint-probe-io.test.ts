// The TLS probe must really offer TLS 1.0 and 1.1: otherwise "the server refused TLSv1" proves
// nothing. Positive controls: local servers that accept exactly one old version.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpOpen, tlsHandshake } from '../../src/lint/probe-io.js';
import { withTlsServer } from '../support/probes.js';

let credentials: { key: string; cert: string };
const dir = await mkdtemp(join(tmpdir(), 'tsc-lint-tls-'));

beforeAll(async () => {
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-nodes',
    '-days',
    '1',
    '-newkey',
    'rsa:2048',
    '-subj',
    '/CN=probe.42.fr',
    '-addext',
    'subjectAltName=DNS:probe.42.fr',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  credentials = {
    key: await readFile(join(dir, 'key.pem'), 'utf8'),
    cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the TLS probe', () => {
  for (const version of ['TLSv1', 'TLSv1.1'] as const)
    it(`offers ${version} for real: a server that only speaks it accepts the handshake`, async () => {
      await withTlsServer(credentials, version, async (port) => {
        const at = { host: '127.0.0.1', port, servername: 'probe.42.fr' };
        expect(await tlsHandshake(at, version)).toMatchObject({ ok: true, protocol: version });
        expect(await tlsHandshake(at, 'TLSv1.2')).toMatchObject({ ok: false });
      });
    });

  it('sees a modern server refuse TLSv1 and TLSv1.1 and accept TLSv1.2 and TLSv1.3', async () => {
    await withTlsServer(credentials, ['TLSv1.2', 'TLSv1.3'], async (port) => {
      const at = { host: '127.0.0.1', port };
      expect(await tlsHandshake(at, 'TLSv1')).toMatchObject({ ok: false });
      expect(await tlsHandshake(at, 'TLSv1.1')).toMatchObject({ ok: false });
      expect(await tlsHandshake(at, 'TLSv1.2')).toEqual({
        ok: true,
        protocol: 'TLSv1.2',
        peerSubjectAltName: 'DNS:probe.42.fr',
      });
      expect(await tlsHandshake(at, 'TLSv1.3')).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
    });
  });

  it('reports a closed port as such, not as a refused protocol', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await tlsHandshake({ host: '127.0.0.1', port }, 'TLSv1')).toMatchObject({
      ok: false,
      code: 'ECONNREFUSED',
    });
    expect(await tcpOpen('127.0.0.1', port)).toBe(false);
  });
});
