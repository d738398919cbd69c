import { describe, expect, it } from 'vitest';
import { isTsComposeError } from '../../src/core/errors.js';
import { endpointFromEnv } from '../../src/engine/endpoint.js';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionError, portInMessage, portInUse, responseError } from '../../src/engine/errors.js';
import { hostProcessOnPort } from '../../src/engine/port-holder.js';

describe('DOCKER_HOST', () => {
  it('defaults to the local socket', () => {
    expect(endpointFromEnv({})).toMatchObject({ socketPath: '/var/run/docker.sock' });
    expect(endpointFromEnv({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toMatchObject({
      socketPath: '/run/user/1000/docker.sock',
    });
  });

  it('takes tcp:// hosts, with the TLS port when TLS is asked for', () => {
    expect(endpointFromEnv({ DOCKER_HOST: 'tcp://10.0.0.2' })).toMatchObject({
      host: '10.0.0.2',
      port: 2375,
    });
    const tls = endpointFromEnv({
      DOCKER_HOST: 'tcp://example.test',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/nonexistent',
    });
    expect(tls).toMatchObject({ host: 'example.test', port: 2376, tls: { verify: true } });
  });

  it('refuses ssh:// with a way around it', () => {
    try {
      endpointFromEnv({ DOCKER_HOST: 'ssh://me@box' });
      expect.unreachable();
    } catch (error) {
      expect(isTsComposeError(error) && error.message).toBe('ssh:// DOCKER_HOST is not supported');
      expect(isTsComposeError(error) && error.hint).toContain('ssh -nNT -L');
    }
  });

  it('pins the API version from DOCKER_API_VERSION', () => {
    expect(endpointFromEnv({ DOCKER_API_VERSION: '1.41' }).apiVersion).toBe('1.41');
  });
});

describe('engine errors', () => {
  it('explains a refused permission with the fix', () => {
    const error = connectionError(
      Object.assign(new Error('EACCES'), { code: 'EACCES' }),
      'unix:///var/run/docker.sock',
    );
    expect(error.code).toBe('engine.permission-denied');
    expect(error.hint).toContain('usermod -aG docker');
  });

  it('names the port of "port is already allocated" and "address already in use"', () => {
    expect(
      portInMessage(
        'driver failed programming external connectivity on endpoint x (abc): Bind for 0.0.0.0:8080 failed: port is already allocated',
      ),
    ).toBe('0.0.0.0:8080');
    expect(
      portInMessage('Error starting userland proxy: listen tcp4 127.0.0.1:443: bind: address already in use'),
    ).toBe('127.0.0.1:443');
    expect(
      responseError(500, 'Bind for 0.0.0.0:80 failed: port is already allocated', 'start container web-1')
        .code,
    ).toBe('engine.port-in-use');
  });

  it('maps statuses to codes', () => {
    expect(responseError(404, 'No such container: x', 'inspect container x').code).toBe('engine.not-found');
    expect(responseError(409, 'name in use', 'create container x').code).toBe('engine.conflict');
  });

  it('tells an engine that went away mid-call from one that is not there', () => {
    const lost = connectionError(
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'unix:///var/run/docker.sock',
      'start container web-1',
    );
    expect(lost.code).toBe('engine.connection-lost');
    expect(lost.message).toBe(
      'lost the connection to the Docker engine at unix:///var/run/docker.sock while trying to start container web-1',
    );
    const absent = connectionError(
      Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }),
      'unix:///x.sock',
    );
    expect(absent.code).toBe('engine.unreachable');
    expect(absent.message).toBe(
      'cannot connect to the Docker engine at unix:///x.sock (ENOENT: no socket there)',
    );
    expect(absent.cause).toBeUndefined();
  });

  it('names the holder of a port in the headline and the fix', () => {
    const byContainer = portInUse('start container web-1', '127.0.0.1:8080', 'Bind ...', 'container other-1');
    expect(byContainer.message).toBe(
      'cannot start container web-1: port 127.0.0.1:8080 is already in use by container other-1',
    );
    expect(byContainer.hint).toContain('docker stop other-1');
    expect(portInUse('start container web-1', '127.0.0.1:8080', 'Bind ...').hint).toContain(
      'ss -ltnp | grep :8080',
    );
  });
});

describe('host port holders from /proc', () => {
  it('finds the process whose open socket listens on the port', async () => {
    const proc = mkdtempSync(join(tmpdir(), 'tsc-proc-'));
    try {
      mkdirSync(join(proc, 'net'));
      const header =
        '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
      // 127.0.0.1:8080 listening (0A), inode 4242; and an established one on the same port that is not it
      writeFileSync(
        join(proc, 'net/tcp'),
        header +
          '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n' +
          '   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 7777 1\n',
      );
      writeFileSync(join(proc, 'net/tcp6'), header);
      for (const [pid, inode, comm] of [
        ['17', '7777', 'client'],
        ['42', '4242', 'nginx'],
      ] as const) {
        mkdirSync(join(proc, pid, 'fd'), { recursive: true });
        symlinkSync(`socket:[${inode}]`, join(proc, pid, 'fd', '3'));
        writeFileSync(join(proc, pid, 'comm'), `${comm}\n`);
      }
      expect(await hostProcessOnPort(8080, proc)).toBe('process nginx (pid 42)');
      expect(await hostProcessOnPort(8081, proc)).toBeUndefined();
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });
});
