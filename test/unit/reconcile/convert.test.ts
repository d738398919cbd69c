import { describe, expect, it } from 'vitest';
import { containerPlan, type ConvertContext } from '../../../src/reconcile/convert.js';
import { hash, labels, smallProject } from './fixtures.js';

const context = (project = smallProject(), apiVersion = '1.41'): ConvertContext => ({
  project,
  labels,
  apiVersion,
  hash,
  containerOf: (s) => `${project.name}-${s}-1`,
});

describe('containerPlan', () => {
  it('writes the labels Compose writes, under the same names', () => {
    const ctx = context();
    const { spec } = containerPlan(ctx, {
      service: 'app',
      number: 1,
      name: 'small-app-1',
      imageId: 'sha256:abc',
    });
    expect(spec.Labels).toEqual({
      'com.docker.compose.project': 'small',
      'com.docker.compose.service': 'app',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': hash(ctx.project.services.app!),
      'com.docker.compose.image': 'sha256:abc',
      'com.docker.compose.depends_on': 'db:service_healthy:false',
      'com.docker.compose.version': '0.1.0',
      'com.docker.compose.project.working_dir': '/work/small',
      'com.docker.compose.project.config_files': '/work/small/compose.yaml',
      'tscompose.config-fields': expect.stringMatching(
        /^command=[0-9a-f]{8},.*environment\.DB_HOST=[0-9a-f]{6}/,
      ),
    });
  });

  it('builds the create body: mounts, network with aliases, health check in nanoseconds, ports', () => {
    const db = containerPlan(context(), { service: 'db', number: 1, name: 'small-db-1' });
    expect(db.spec).toMatchObject({
      name: 'small-db-1',
      Image: 'debian:bookworm',
      Cmd: ['sh', '-c', 'touch /tmp/ready && exec sleep infinity'],
      Healthcheck: { Test: ['CMD', 'test', '-f', '/tmp/ready'], Interval: 1e9, Timeout: 2e9, Retries: 5 },
      HostConfig: {
        Init: true,
        NetworkMode: 'small_back',
        Mounts: [{ Type: 'volume', Source: 'small_dbdata', Target: '/var/lib/data' }],
      },
      NetworkingConfig: { EndpointsConfig: { small_back: { Aliases: ['small-db-1', 'db'] } } },
    });
    const proxy = containerPlan(context(), { service: 'proxy', number: 1, name: 'small-proxy-1' });
    expect(proxy.spec.ExposedPorts).toEqual({ '443/tcp': {} });
    expect(proxy.spec.HostConfig?.PortBindings).toEqual({
      '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '18443' }],
    });
  });

  it('joins the first network at creation and the others after, primary by priority then name', () => {
    const project = smallProject();
    project.networks = { back: {}, front: {} };
    project.services.app!.networks = { front: { priority: 10 }, back: { aliases: ['api'] } };
    const plan = containerPlan(context(project), { service: 'app', number: 1, name: 'small-app-1' });
    expect(plan.spec.HostConfig?.NetworkMode).toBe('small_front');
    expect(plan.connect).toEqual([
      { network: 'small_back', endpoint: { Aliases: ['small-app-1', 'app', 'api'] } },
    ]);
  });

  it('mounts file secrets read-only under /run/secrets and keeps anonymous volumes of a replaced container', () => {
    const project = smallProject();
    project.secrets = { db_password: { file: '/work/small/secrets/db_password.txt' } };
    project.services.db!.secrets = [{ source: 'db_password' }];
    project.services.db!.volumes!.push({ type: 'volume', target: '/anon' });
    const anon = 'a'.repeat(64);
    const plan = containerPlan(context(project), {
      service: 'db',
      number: 1,
      name: 'small-db-1',
      inherit: [
        { type: 'volume', name: anon, source: '', destination: '/anon', rw: true },
        { type: 'volume', name: anon.replace(/a/g, 'b'), source: '', destination: '/from-image', rw: true },
      ],
    });
    expect(plan.spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'small_dbdata', Target: '/var/lib/data' },
      { Type: 'volume', Source: anon, Target: '/anon' },
      {
        Type: 'bind',
        Source: '/work/small/secrets/db_password.txt',
        Target: '/run/secrets/db_password',
        ReadOnly: true,
      },
      { Type: 'volume', Source: 'b'.repeat(64), Target: '/from-image' },
    ]);
  });

  it('drops healthcheck.start_interval on engines older than API 1.44, with a warning', () => {
    const project = smallProject();
    project.services.db!.healthcheck!.start_interval = '1s';
    const old = containerPlan(context(project, '1.41'), { service: 'db', number: 1, name: 'small-db-1' });
    expect(old.spec.Healthcheck?.StartInterval).toBeUndefined();
    expect(old.warnings[0]).toContain('start_interval');
    const recent = containerPlan(context(project, '1.44'), { service: 'db', number: 1, name: 'small-db-1' });
    expect(recent.spec.Healthcheck?.StartInterval).toBe(1e9);
  });
});
