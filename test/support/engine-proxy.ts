// A unix-socket proxy in front of the shared Docker engine, for fault tests that must not touch the
// real dockerd: `cut()` drops every connection and stops listening (as a stopped engine, whose socket
// is gone), `restore()` listens again. Point the CLI at it with DOCKER_HOST=proxy.dockerHost.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const engineSocket = '/var/run/docker.sock';
const requestLine = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.1\r\n/;

interface Rule {
  /** Matched against `METHOD /path?query` of each request the client sends. */
  pattern: RegExp;
  /** Cut the engine off instead of passing the request on. */
  cut?: boolean;
  /** Answer the request here, with this status and JSON `{"message": ...}`, instead of the engine. */
  answer?: { status: number; message: string };
  resolve: () => void;
}

export interface EngineProxy {
  socketPath: string;
  /** `unix:///…/engine.sock`, for DOCKER_HOST. */
  dockerHost: string;
  /** `METHOD /path` of every request seen, in order. */
  requests: string[];
  /** Drops every open connection and refuses new ones (the socket file goes away). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** Cuts the engine off at the first request that matches, before the engine sees it; resolves then. */
  cutAt(pattern: RegExp): Promise<void>;
  /** Answers the first request that matches with an engine error instead of passing it on. */
  failOnce(pattern: RegExp, status: number, message: string): Promise<void>;
  close(): Promise<void>;
}

export async function startEngineProxy(): Promise<EngineProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-proxy-'));
  const socketPath = join(dir, 'engine.sock');
  const open = new Set<net.Socket>();
  const rules: Rule[] = [];
  const requests: string[] = [];
  let server: net.Server | undefined;

  const onClient = (client: net.Socket) => {
    const upstream = net.connect(engineSocket);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      const m = requestLine.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 4096)));
      if (m) {
        const request = `${m[1]} ${m[2]}`;
        requests.push(request);
        const at = rules.findIndex((r) => r.pattern.test(request));
        const rule = at >= 0 ? rules.splice(at, 1)[0] : undefined;
        if (rule?.cut) {
          void cut().then(rule.resolve);
          return;
        }
        if (rule?.answer) {
          const body = JSON.stringify({ message: rule.answer.message });
          client.write(
            `HTTP/1.1 ${rule.answer.status} Injected\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          );
          rule.resolve();
          return;
        }
      }
      upstream.write(chunk);
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer(onClient);
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });

  const cut = async () => {
    const closing = server;
    server = undefined;
    // close() calls back only once every connection is gone: stop listening, then drop them
    const closed = closing && new Promise<void>((resolve) => closing.close(() => resolve()));
    for (const socket of open) socket.destroy();
    open.clear();
    await closed;
  };

  const rule = (r: Omit<Rule, 'resolve'>) => new Promise<void>((resolve) => rules.push({ ...r, resolve }));

  await listen();
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    requests,
    cut,
    restore: () => (server ? Promise.resolve() : listen()),
    cutAt: (pattern) => rule({ pattern, cut: true }),
    failOnce: (pattern, status, message) => rule({ pattern, answer: { status, message } }),
    close: async () => {
      await cut();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
