import { lookup } from 'node:dns/promises';
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import tls from 'node:tls';
import type { Handshake, ProbeIO, TlsVersion } from './probe.js';

const TIMEOUT_MS = 5_000;

/**
 * One handshake offering exactly `version`. OpenSSL 3 refuses TLS 1.0 and 1.1 at its default
 * security level without saying so, which would make "the server refused TLS 1.0" prove nothing:
 * `DEFAULT@SECLEVEL=0` makes the client really offer them (the integration test shows it does).
 */
export function tlsHandshake(
  target: { host: string; port: number; servername?: string },
  version: TlsVersion,
): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: target.host,
      port: target.port,
      ...(target.servername && !net.isIP(target.servername) ? { servername: target.servername } : {}),
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
      rejectUnauthorized: false,
    });
    const done = (result: Handshake) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(TIMEOUT_MS, () =>
      done({ ok: false, code: 'ETIMEDOUT', message: 'handshake timed out' }),
    );
    socket.once('secureConnect', () => {
      const names = socket.getPeerCertificate().subjectaltname;
      done({
        ok: true,
        protocol: socket.getProtocol() ?? version,
        ...(names ? { peerSubjectAltName: names } : {}),
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, code: error.code ?? 'ERR_TLS', message: error.message }),
    );
  });
}

export function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The probes' window on this host: Node's sockets, resolver and file system. */
export const nodeProbeIO: ProbeIO = {
  tlsHandshake,
  tcpOpen,
  lookup: async (name) => {
    try {
      return (await lookup(name, { all: true })).map((a) => a.address);
    } catch {
      return [];
    }
  },
  localAddresses: () =>
    Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .map((i) => i.address),
  countEntries: async (path) => {
    try {
      return (await readdir(path)).length;
    } catch {
      return undefined;
    }
  },
};
