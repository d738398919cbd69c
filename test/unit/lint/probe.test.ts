// The probes' judgement on stacks that break the rules, with a scripted engine: what each probe
// concludes from what the engine and the network answer. (The e2e test runs them on a real stack.)
import { describe, expect, it } from 'vitest';
import type { ContainerDetails, ContainerSummary, Engine, ExecRequest } from '../../../src/engine/engine.js';
import { programOf, runProbes, type ProbeIO } from '../../../src/lint/probe.js';
import type { RuleResult } from '../../../src/lint/types.js';
import { containerDetails } from '../../support/engine-fakes.js';

interface FakeContainer {
  service: string;
  pid: number;
  ports?: ContainerSummary['ports'];
  /** `docker top` rows: [pid, ppid, cmd]. */
  processes: [number, number, string][];
  mounts?: ContainerDetails['mounts'];
  /** What `sh -c $SQL_RUNNER` prints for a query, by a word of the query. */
  sql?: (query: string) => { code: number; stdout: string };
}

function fakeEngine(containers: FakeContainer[], options: { restarts?: boolean } = {}): Engine {
  const details = new Map<string, ContainerDetails>();
  const summaries: ContainerSummary[] = containers.map((c) => {
    const id = `id-${c.service}`;
    details.set(
      id,
      containerDetails({
        id,
        name: `/proj-${c.service}-1`,
        image: `${c.service}:1.0`,
        imageId: `sha256:${c.service}`,
        state: { pid: c.pid },
        mounts: c.mounts ?? [],
        config: { ...containerDetails().config, image: '' },
      }),
    );
    return {
      id,
      name: `proj-${c.service}-1`,
      image: `${c.service}:1.0`,
      imageId: '',
      labels: { 'com.docker.compose.project': 'proj', 'com.docker.compose.service': c.service },
      state: 'running',
      status: 'Up',
      created: 0,
      command: '',
      ports: c.ports ?? [],
      networks: [],
      mounts: c.mounts ?? [],
    };
  });
  const engine: Partial<Engine> = {
    listContainers: async () => summaries,
    inspectContainer: async (id) => structuredClone(details.get(id)!),
    topContainer: async (id) => ({
      titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'],
      processes: containers
        .find((c) => `id-${c.service}` === id)!
        .processes.map(([pid, ppid, cmd]) => ['root', String(pid), String(ppid), '0', '', '?', '', cmd]),
    }),
    exec: async (id, request: ExecRequest) => {
      const sql = containers.find((c) => `id-${c.service}` === id)?.sql;
      const query = request.env?.find((e) => e.startsWith('SQL='))?.slice(4) ?? '';
      const answer = sql ? sql(query) : { code: 3, stdout: '' };
      request.stdout.write(answer.stdout);
      return answer.code;
    },
    inspectVolume: async (name) => ({
      name,
      driver: 'local',
      labels: {},
      mountpoint: `/var/lib/docker/volumes/${name}/_data`,
      options: { type: 'none', o: 'bind', device: `/home/jdoe/data/${name.replace(/^proj_/, '')}` },
    }),
    createContainer: async () => 'killer',
    startContainer: async () => {
      // the kill: PID 1 dies; the engine restarts the container when its policy says so
      if (!options.restarts) return;
      for (const d of details.values()) {
        d.state.pid += 1000;
        d.restartCount++;
      }
    },
    waitContainer: async () => 0,
    removeContainer: async () => undefined,
  };
  return engine as Engine;
}

const io: ProbeIO = {
  tlsHandshake: async (_target, version) =>
    version === 'TLSv1.2' || version === 'TLSv1.3'
      ? { ok: true, protocol: version }
      : { ok: false, code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'alert' },
  tcpOpen: async () => false,
  lookup: async () => ['127.0.0.1'],
  localAddresses: () => ['127.0.0.1'],
  countEntries: async () => 3,
};

const https = [{ privatePort: 443, publicPort: 443, type: 'tcp', ip: '0.0.0.0' }];
const users = (rows: string) => (query: string) =>
  query.includes('information_schema')
    ? { code: 0, stdout: 'wordpress\twp_usermeta\n' }
    : { code: 0, stdout: rows };
const goodStack = (): FakeContainer[] => [
  {
    service: 'nginx',
    pid: 10,
    ports: https,
    processes: [[10, 1, 'nginx: master process nginx -g daemon off;']],
  },
  {
    service: 'wordpress',
    pid: 20,
    processes: [[20, 1, 'php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)']],
    mounts: [{ type: 'volume', name: 'proj_wordpress', source: '', destination: '/var/www/html', rw: true }],
  },
  {
    service: 'mariadb',
    pid: 30,
    processes: [[30, 1, '/usr/sbin/mariadbd --user=mysql']],
    sql: users('boss\ta:1:{s:13:"administrator";b:1;}\nwriter\ta:1:{s:6:"author";b:1;}\n'),
    mounts: [{ type: 'bind', source: '/home/jdoe/data/mariadb', destination: '/var/lib/mysql', rw: true }],
  },
];

async function probe(containers: FakeContainer[], restarts = true): Promise<Record<string, RuleResult[]>> {
  const results = await runProbes(
    {
      project: { name: 'proj', services: {} },
      roles: { nginx: 'nginx', wordpress: 'wordpress', mariadb: 'mariadb' },
      login: 'jdoe',
      subject: 'v5',
    },
    { engine: fakeEngine(containers, { restarts }), io, restartTimeoutMs: 100, restartPollMs: 5 },
  );
  const byId: Record<string, RuleResult[]> = {};
  for (const r of results) (byId[r.id] ??= []).push(r);
  return byId;
}

const statuses = (byId: Record<string, RuleResult[]>) =>
  Object.fromEntries(Object.entries(byId).map(([id, rs]) => [id, rs.map((r) => r.status).join(',')]));

describe('the --probe rules', () => {
  it('pass on a stack that follows the subject', async () => {
    const byId = await probe(goodStack());
    expect(statuses(byId)).toEqual(Object.fromEntries(Object.keys(byId).map((id) => [id, 'pass'])));
    expect(byId['probe.wp-users']![0]!.message).toBe('2 users in wordpress, administrator: boss');
  });

  it('catch a shell as PID 1, with the daemon its child', async () => {
    const stack = goodStack();
    stack[1]!.processes = [
      [20, 1, '/bin/sh /usr/local/bin/setup.sh'],
      [21, 20, 'php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)'],
    ];
    const byId = await probe(stack);
    expect(byId['probe.pid1']).toMatchObject([
      { status: 'fail', place: { file: 'container proj-wordpress-1' } },
    ]);
  });

  it('accept an init as PID 1 when its child is the daemon', async () => {
    const stack = goodStack();
    stack[0]!.processes = [
      [10, 1, '/sbin/docker-init -- nginx -g daemon off;'],
      [11, 10, 'nginx: master process nginx -g daemon off;'],
    ];
    expect((await probe(stack))['probe.pid1']).toMatchObject([{ status: 'pass' }]);
  });

  it('catch an administrator named admin, and a single user', async () => {
    const stack = goodStack();
    stack[2]!.sql = users('wpadmin\ta:1:{s:13:"administrator";b:1;}\n');
    const failures = (await probe(stack))['probe.wp-users']!.map((r) => r.message);
    expect(failures).toEqual([
      'the WordPress database has 1 user(s): the subject asks for two',
      'the administrator\'s login "wpadmin" contains "admin"',
    ]);
  });

  it('skip the users when no credentials work, rather than guess', async () => {
    const stack = goodStack();
    stack[2]!.sql = () => ({ code: 4, stdout: '' });
    expect((await probe(stack))['probe.wp-users']).toMatchObject([{ status: 'skip' }]);
  });

  it('catch a published database port and data outside /home/<login>/data', async () => {
    const stack = goodStack();
    stack[2]!.ports = [{ privatePort: 3306, publicPort: 3306, type: 'tcp', ip: '0.0.0.0' }];
    stack[2]!.mounts = [{ type: 'bind', source: '/home/other/db', destination: '/var/lib/mysql', rw: true }];
    const byId = await probe(stack);
    expect(byId['probe.exposure']).toMatchObject([
      { status: 'fail', message: 'proj-mariadb-1 publishes 0.0.0.0:3306->3306/tcp' },
    ]);
    expect(byId['probe.volumes']).toMatchObject([{ status: 'fail' }]);
  });

  it('catch a container that stays down after its PID 1 is killed', async () => {
    const byId = await probe(goodStack(), false);
    expect(byId['probe.restart']!.map((r) => r.status)).toEqual(['fail', 'fail', 'fail']);
  });

  it('read the program of a ps line', () => {
    expect(programOf('nginx: master process nginx -g daemon off;')).toBe('nginx');
    expect(programOf('php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)')).toBe('php-fpm');
    expect(programOf('/usr/sbin/mariadbd --user=mysql')).toBe('mariadbd');
    expect(programOf('/bin/sh /usr/bin/mysqld_safe')).toBe('sh');
  });
});
