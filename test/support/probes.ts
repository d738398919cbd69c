// Network probes for end-to-end tests, written on Node's own sockets so that they need nothing on the
// host: HTTPS requests with SNI and Host, TLS handshakes at a chosen protocol version, TCP reachability,
// free ports, and a minimal passive-mode FTP upload.
import net from 'node:net';
import tls from 'node:tls';
import type { TlsVersion } from '../../src/lint/probe.js';

// TLS handshakes at one protocol version and TCP reachability: the lint probes' own, so that the
// end-to-end tests and `tscompose lint` judge a server the same way
export { tcpOpen, tlsHandshake } from '../../src/lint/probe-io.js';
export type { TlsVersion };

export interface HttpsTarget {
  /** Where to connect (an address or a name looked up by the system resolver, /etc/hosts included). */
  host: string;
  port: number;
  /** The name sent as SNI and as the Host header. */
  servername: string;
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTPS request over a fresh connection; the server's self-signed certificate is accepted. */
export async function httpsRequest(target: HttpsTarget, request: HttpsRequest): Promise<HttpsResponse> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.host,
        port: target.port,
        servername: target.servername,
        method: request.method ?? 'GET',
        path: request.path,
        headers: { Host: target.servername, ...request.headers },
        rejectUnauthorized: false,
        agent: false,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`HTTPS ${request.path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * A local TLS server that accepts only `version` (or the range `[min, max]`), with the given key and
 * certificate: the positive control showing that `tlsHandshake` does offer that version.
 */
export async function withTlsServer<T>(
  credentials: { key: string; cert: string },
  version: TlsVersion | [TlsVersion, TlsVersion],
  use: (port: number) => Promise<T>,
): Promise<T> {
  const [min, max] = Array.isArray(version) ? version : [version, version];
  const server = tls.createServer({
    ...credentials,
    minVersion: min,
    maxVersion: max,
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use((server.address() as net.AddressInfo).port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Whether `port` can be bound on every interface now (as Docker's port publishing will need). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

/** `preferred` when it is given (not 0) and free, else a free port the system picks. */
export async function freePort(preferred: number): Promise<number> {
  if (preferred && (await portFree(preferred))) return preferred;
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `count` consecutive free ports starting at `preferred`, else at some base in 30000–39999. */
export async function freePortRange(preferred: number, count: number): Promise<number> {
  const allFree = async (base: number) => {
    for (let port = base; port < base + count; port++) if (!(await portFree(port))) return false;
    return true;
  };
  if (await allFree(preferred)) return preferred;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 30_000 + Math.floor(Math.random() * 10_000);
    if (await allFree(base)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** The FTP control connection: sends commands and reads complete (possibly multi-line) replies. */
class FtpControl {
  private buffer = '';
  private waiting: ((reply: string) => void) | undefined;
  private failed: Error | undefined;

  constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      this.buffer += data;
      this.deliver();
    });
    socket.on('error', (error) => {
      this.failed = error;
    });
  }

  /** The next reply: its last line starts with the three-digit code and a space. */
  reply(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      const timer = setTimeout(
        () => reject(new Error(`FTP: no reply in 10 s (so far: ${this.buffer})`)),
        10_000,
      );
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.deliver();
    });
  }

  async command(line: string, expected: RegExp): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.expect(expected, line.startsWith('PASS ') ? 'PASS ***' : line);
  }

  async expect(expected: RegExp, what: string): Promise<string> {
    const reply = await this.reply();
    if (!expected.test(reply)) throw new Error(`FTP ${what}: unexpected reply ${JSON.stringify(reply)}`);
    return reply;
  }

  private deliver(): void {
    if (!this.waiting) return;
    const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(this.buffer);
    if (!match) return;
    const end = match.index + match[0].length;
    const reply = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting(reply.trim());
  }
}

/** Uploads `content` as `name` in passive mode, connecting the data channel to the control host. */
export async function ftpUpload(
  server: { host: string; port: number },
  credentials: { user: string; password: string },
  name: string,
  content: Buffer,
): Promise<void> {
  const socket = net.connect(server);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const control = new FtpControl(socket);
  try {
    await control.expect(/^220/, 'greeting');
    await control.command(`USER ${credentials.user}`, /^331/);
    await control.command(`PASS ${credentials.password}`, /^230/);
    await control.command('TYPE I', /^200/);
    const pasv = await control.command('PASV', /^227/);
    const numbers = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv);
    if (!numbers) throw new Error(`FTP PASV: cannot read the data port in ${pasv}`);
    const dataPort = Number(numbers[5]) * 256 + Number(numbers[6]);
    const data = net.connect({ host: server.host, port: dataPort });
    await new Promise<void>((resolve, reject) => {
      data.once('connect', resolve);
      data.once('error', reject);
    });
    await control.command(`STOR ${name}`, /^1\d\d/);
    await new Promise<void>((resolve, reject) => {
      data.once('error', reject);
      data.end(content, resolve);
    });
    await control.expect(/^226/, `STOR ${name} (transfer complete)`);
    await control.command('QUIT', /^221/);
  } finally {
    socket.destroy();
  }
}
