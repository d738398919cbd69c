import { describe, expect, it } from 'vitest';
import { isTsComposeError } from '../../src/core/errors.js';
import { endpointFromEnv } from '../../src/engine/endpoint.js';
import { connectionError, portInMessage, responseError } from '../../src/engine/errors.js';

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
});
