import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, removeProject, uniqueProject } from '../support/docker.js';
import { projectDir, tscompose } from '../support/cli.js';

// What a service says reaches the engine: each option checked in `docker inspect`.

const name = uniqueProject('options');
const subnet = `10.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`;
const fixedIp = subnet.replace(/0\/24$/, '10');
const cwd = projectDir({});
mkdirSync(join(cwd, 'data'));
writeFileSync(join(cwd, 'db_password.txt'), 'secret-value\n');
writeFileSync(
  join(cwd, 'compose.yaml'),
  `
services:
  app:
    image: debian:bookworm
    command: ["sleep", "infinity"]
    init: true
    user: "1000:1000"
    working_dir: /srv
    hostname: apphost
    environment: { MODE: production }
    labels: { team: infra }
    restart: on-failure:3
    stop_signal: SIGINT
    stop_grace_period: 7s
    extra_hosts: ["printer.local:10.1.2.3"]
    dns: [9.9.9.9]
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    ulimits: { nofile: { soft: 1024, hard: 2048 } }
    mem_limit: 64m
    sysctls: { net.core.somaxconn: "1024" }
    read_only: true
    tmpfs: [/run]
    secrets: [db_password]
    volumes:
      - ./data:/data:ro
      - bound:/bound
    networks:
      back:
        aliases: [api]
        ipv4_address: ${fixedIp}
    expose: ["9000"]
    ports: ["127.0.0.1::8080"]
secrets:
  db_password: { file: ./db_password.txt }
volumes:
  bound:
    driver: local
    driver_opts: { type: none, o: bind, device: ${join(cwd, 'data')} }
networks:
  back:
    ipam:
      config: [{ subnet: "${subnet}" }]
`,
);

describe('service options reach the engine', () => {
  afterAll(() => removeProject(name));

  it('creates the container as the compose file says', async () => {
    const up = await tscompose(['-p', name, 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    const [c] = JSON.parse(await docker('inspect', `${name}-app-1`)) as [
      {
        Config: Record<string, unknown> & { Labels: Record<string, string>; Env: string[] };
        HostConfig: Record<string, unknown>;
        NetworkSettings: { Networks: Record<string, { Aliases: string[]; IPAddress: string }> };
        Mounts: { Destination: string; RW: boolean; Source: string }[];
      },
    ];
    expect(c.Config).toMatchObject({
      User: '1000:1000',
      WorkingDir: '/srv',
      Hostname: 'apphost',
      StopSignal: 'SIGINT',
      StopTimeout: 7,
      ExposedPorts: { '9000/tcp': {}, '8080/tcp': {} },
    });
    expect(c.Config.Env).toContain('MODE=production');
    expect(c.Config.Labels.team).toBe('infra');
    expect(c.HostConfig).toMatchObject({
      Init: true,
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      ExtraHosts: ['printer.local:10.1.2.3'],
      Dns: ['9.9.9.9'],
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['MKNOD'],
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      Memory: 64 * 1024 * 1024,
      Sysctls: { 'net.core.somaxconn': '1024' },
      ReadonlyRootfs: true,
      Tmpfs: { '/run': '' },
    });
    const back = c.NetworkSettings.Networks[`${name}_back`];
    expect(back?.IPAddress).toBe(fixedIp);
    expect(back?.Aliases).toEqual(expect.arrayContaining(['api', 'app', `${name}-app-1`]));
    const mounts = Object.fromEntries(c.Mounts.map((m) => [m.Destination, m]));
    expect(mounts['/data']).toMatchObject({ RW: false, Source: join(cwd, 'data') });
    expect(mounts['/run/secrets/db_password']).toMatchObject({ RW: false });
    expect(await docker('exec', `${name}-app-1`, 'cat', '/run/secrets/db_password')).toBe('secret-value');
    // the bind-type named volume shows the host directory's files
    writeFileSync(join(cwd, 'data', 'seen.txt'), 'through the volume');
    expect(await docker('exec', `${name}-app-1`, 'cat', '/bound/seen.txt')).toBe('through the volume');
    const port = await tscompose(['-p', name, 'port', 'app', '8080'], { cwd });
    expect(port.stdout).toMatch(/^127\.0\.0\.1:\d+\n$/);
  });
});
