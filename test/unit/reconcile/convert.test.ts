import { describe, expect, it } from 'vitest';
import { containerPlan, type ConvertContext } from '../../../src/reconcile/convert.js';
import { planUp } from '../../../src/reconcile/plan.js';
import { renderPlan } from '../../../src/reconcile/render.js';
import { emptyState, hash, labels, smallProject } from './fixtures.js';

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

  describe('secrets and configs that are not files', () => {
    const secretValue = 'hunter2-not-in-any-plan';
    const literal = 'listen 8080; # a config body';
    const withInjections = () => {
      const project = smallProject();
      project.secrets = {
        file_pw: { file: '/work/small/secrets/file_pw.txt' },
        env_pw: { environment: 'DB_PASSWORD' },
      };
      project.configs = { site: { content: literal }, from_env: { environment: 'SITE_NAME' } };
      project.services.app!.secrets = [
        { source: 'file_pw' },
        { source: 'env_pw', target: 'db', uid: '1000', gid: '33', mode: 0o400 },
      ];
      project.services.app!.configs = [
        { source: 'site', target: '/etc/site/site.conf', mode: 0o440 },
        { source: 'from_env' },
      ];
      return project;
    };
    const environment = { DB_PASSWORD: secretValue, SITE_NAME: 'example' };

    it('lists what to copy in, with targets, modes and owners, and keeps files as read-only binds', () => {
      const project = withInjections();
      const plan = containerPlan(
        { ...context(project), environment },
        { service: 'app', number: 1, name: 'small-app-1' },
      );
      expect(plan.inject).toEqual([
        {
          kind: 'secret',
          name: 'env_pw',
          target: '/run/secrets/db',
          mode: 0o400,
          uid: 1000,
          gid: 33,
          source: { environment: 'DB_PASSWORD' },
        },
        {
          kind: 'config',
          name: 'site',
          target: '/etc/site/site.conf',
          mode: 0o440,
          uid: undefined,
          gid: undefined,
          source: { content: literal },
        },
        {
          kind: 'config',
          name: 'from_env',
          target: '/from_env',
          mode: 0o444,
          uid: undefined,
          gid: undefined,
          source: { environment: 'SITE_NAME' },
        },
      ]);
      expect(plan.spec.HostConfig?.Mounts).toContainEqual({
        Type: 'bind',
        Source: '/work/small/secrets/file_pw.txt',
        Target: '/run/secrets/file_pw',
        ReadOnly: true,
      });
      expect(JSON.stringify(plan.spec.HostConfig?.Mounts)).not.toContain('env_pw');
      // no injection: no field (the bodies of other services stay as they were)
      expect(
        containerPlan(context(project), { service: 'db', number: 1, name: 'small-db-1' }).inject,
      ).toBeUndefined();
    });

    it('never holds a secret value: not in the plan, its create body or the dry-run text', () => {
      const project = withInjections();
      const plan = planUp(project, emptyState(project), { labels, hash, environment });
      expect(JSON.stringify(plan)).not.toContain(secretValue);
      const text = renderPlan(plan);
      expect(text).toMatch(/create +small-app-1/);
      expect(text).not.toContain(secretValue);
      expect(text).not.toContain(literal);
    });

    it('refuses an unset variable before anything is created, naming the secret and the variable', () => {
      const project = withInjections();
      const plan = () =>
        planUp(project, emptyState(project), { labels, hash, environment: { SITE_NAME: 'example' } });
      expect(plan).toThrow(/secret "env_pw" reads the environment variable DB_PASSWORD, which is not set/);
      // an empty value is a value, as in Compose
      expect(() =>
        planUp(project, emptyState(project), {
          labels,
          hash,
          environment: { ...environment, DB_PASSWORD: '' },
        }),
      ).not.toThrow();
    });

    it('refuses a non-numeric uid, and a secret with nothing to put in the container', () => {
      const project = withInjections();
      project.services.app!.secrets = [{ source: 'env_pw', uid: 'www-data' }];
      expect(() =>
        containerPlan(
          { ...context(project), environment },
          { service: 'app', number: 1, name: 'small-app-1' },
        ),
      ).toThrow(/services\.app\.secrets\[0\]\.uid is "www-data", not a numeric id/);
      project.secrets = { ext: { external: true } };
      project.services.app!.secrets = [{ source: 'ext' }];
      project.services.app!.configs = [];
      expect(() =>
        containerPlan(
          { ...context(project), environment },
          { service: 'app', number: 1, name: 'small-app-1' },
        ),
      ).toThrow(/secret "ext" has no file, environment or content: external ones need Swarm/);
    });
  });
});
