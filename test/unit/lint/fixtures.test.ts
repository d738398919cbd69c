// Each fixture under test/fixtures/lint/ is the clean project with a few files changed (the files in
// its directory) or removed: it breaks one rule, which must be caught with its id, file and line,
// and nothing else may fail. Clean variants must pass every rule.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lintInception, type LintIO } from '../../../src/app/lint.js';
import { lintIO } from '../../../src/cli/commands/lint.js';
import type { CliContext } from '../../../src/cli/context.js';
import type { SubjectVersion } from '../../../src/lint/types.js';

const fixtures = fileURLToPath(new URL('../../fixtures/lint/', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'tsc-lint-'));
afterAll(() => rm(work, { recursive: true, force: true }));

interface Case {
  /** Directory under test/fixtures/lint/ whose files replace or add to the clean project's. */
  fixture?: string;
  /** A clean variant applied before `fixture`. */
  base?: string;
  remove?: string[];
  subject?: SubjectVersion;
  login?: string;
  bases?: string[];
  /** Files git tracks: default every file but secrets/ (which is ignored); `false`: not a git repository. */
  git?: { untracked?: string[]; ignored?: string[] } | false;
  /** The failures expected, exactly: rule id, file and line. */
  expect: { id: string; file: string; line?: number }[];
}

async function project(name: string, c: Case): Promise<string> {
  const dir = join(work, name);
  await cp(join(fixtures, 'clean'), dir, { recursive: true });
  for (const overlay of [c.base, c.fixture])
    if (overlay) await cp(join(fixtures, overlay), dir, { recursive: true, force: true });
  for (const path of c.remove ?? []) await rm(join(dir, path), { recursive: true, force: true });
  return dir;
}

function io(dir: string, c: Case): LintIO {
  const ctx: CliContext = {
    argv: [],
    env: {},
    cwd: dir,
    stdin: Readable.from([]),
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    signal: new AbortController().signal,
  };
  const real = lintIO(ctx);
  return {
    ...real,
    // a git that tracks what the case says, without a repository on disk
    git: async (args, cwd) => {
      if (c.git === false) return undefined;
      if (args[0] === 'rev-parse') return 'true\n';
      const ignored = c.git?.ignored ?? ['secrets/'];
      if (args.includes('--ignored')) return ignored.map((p) => `${p}\0`).join('');
      const all: string[] = [];
      const walk = async (d: string) => {
        for (const e of (await real.readdir(d)) ?? []) {
          const path = join(d, e.name);
          if (e.kind === 'directory') await walk(path);
          else all.push(relative(cwd, path));
        }
      };
      await walk(cwd);
      const untracked = new Set(c.git?.untracked ?? []);
      return all
        .filter(
          (p) => !untracked.has(p) && !ignored.some((i) => p === i || (i.endsWith('/') && p.startsWith(i))),
        )
        .map((p) => `${p}\0`)
        .join('');
    },
  };
}

async function failures(name: string, c: Case) {
  const dir = await project(name, c);
  const report = await lintInception(
    {
      load: {},
      subject: c.subject ?? 'v5',
      ...(c.login ? { login: c.login } : {}),
      ...(c.bases ? { bases: c.bases } : {}),
    },
    io(dir, c),
  );
  return {
    report,
    failed: report.results
      .filter((r) => r.status === 'fail')
      .map((r) => ({
        id: r.id,
        file: r.place?.file,
        ...(r.place?.line !== undefined ? { line: r.place.line } : {}),
      })),
  };
}

const C = 'srcs/docker-compose.yml';
const req = (path: string) => `srcs/requirements/${path}`;

const cases: Record<string, Case> = {
  clean: { expect: [] },
  'clean, the login given': { login: 'jdoe', expect: [] },
  'clean, not in a git repository': { git: false, expect: [] },
  'clean v3 with host directories': { fixture: 'volumes-named', subject: 'v3', expect: [] },
  'clean on Alpine: multi-stage, ARG in FROM, sh -c CMD, bonus services': {
    fixture: 'clean-alpine',
    expect: [],
  },

  'no Makefile': { remove: ['Makefile'], expect: [{ id: 'layout.makefile', file: 'Makefile' }] },
  'compose file at the root': {
    fixture: 'layout-compose-file',
    expect: [
      { id: 'layout.compose-file', file: 'docker-compose.yml' },
      { id: 'layout.env-file', file: '.env' },
    ],
  },
  'an empty Dockerfile': {
    fixture: 'layout-dockerfile',
    expect: [{ id: 'layout.dockerfile', file: req('nginx/Dockerfile'), line: 1 }],
  },
  'no srcs/.env': { remove: ['srcs/.env'], expect: [{ id: 'layout.env-file', file: 'srcs/.env' }] },

  'a ready-made image': { fixture: 'services-build', expect: [{ id: 'services.build', file: C, line: 5 }] },
  'FROM a Debian that is not the penultimate': {
    fixture: 'images-base',
    expect: [{ id: 'images.base', file: req('mariadb/Dockerfile'), line: 1 }],
  },
  'the same, with that Debian allowed by --base': {
    fixture: 'images-base',
    bases: ['debian:bookworm', 'debian:trixie'],
    expect: [],
  },
  'FROM an Alpine that is not the penultimate, in a bonus image': {
    base: 'clean-alpine',
    fixture: 'images-base-alpine',
    expect: [{ id: 'images.base', file: req('bonus/redis/Dockerfile'), line: 1 }],
  },
  'FROM debian:oldstable': {
    fixture: 'images-moving-tag',
    expect: [{ id: 'images.moving-tag', file: req('mariadb/Dockerfile'), line: 1 }],
  },
  'FROM debian:latest': {
    fixture: 'images-latest',
    expect: [{ id: 'images.latest', file: req('wordpress/Dockerfile'), line: 1 }],
  },
  'FROM without a tag': {
    fixture: 'images-untagged-from',
    expect: [{ id: 'images.untagged', file: req('nginx/Dockerfile'), line: 1 }],
  },
  'image: without a tag': {
    fixture: 'images-untagged-image',
    expect: [{ id: 'images.untagged', file: C, line: 39 }],
  },
  'an image not named like its service': {
    fixture: 'images-name',
    expect: [{ id: 'images.name', file: C, line: 39 }],
  },
  'nginx installed in the WordPress image': {
    fixture: 'images-no-nginx',
    expect: [{ id: 'images.no-nginx', file: req('wordpress/Dockerfile'), line: 3 }],
  },

  'a password in a Dockerfile': {
    fixture: 'secrets-dockerfile',
    expect: [{ id: 'secrets.dockerfile', file: req('mariadb/Dockerfile'), line: 11 }],
  },
  'a password in the compose file': {
    fixture: 'secrets-compose',
    expect: [{ id: 'secrets.compose', file: C, line: 11 }],
  },
  'a password in a committed srcs/.env': {
    fixture: 'secrets-env',
    expect: [{ id: 'secrets.tracked', file: 'srcs/.env', line: 6 }],
  },
  'a password in srcs/.env that git does not ignore': {
    fixture: 'secrets-env',
    git: { untracked: ['srcs/.env'], ignored: ['secrets/'] },
    expect: [{ id: 'secrets.ignored', file: 'srcs/.env', line: 6 }],
  },
  'a private key committed': {
    fixture: 'secrets-private-key',
    expect: [{ id: 'secrets.tracked', file: req('nginx/conf/inception.key') }],
  },
  'the secrets committed': {
    git: { ignored: [] },
    expect: [
      { id: 'secrets.tracked', file: 'secrets/db_password.txt' },
      { id: 'secrets.tracked', file: 'secrets/db_root_password.txt' },
      { id: 'secrets.tracked', file: 'secrets/wp_admin_password.txt' },
    ],
  },

  'network_mode: host': { fixture: 'network-host', expect: [{ id: 'network.host', file: C, line: 32 }] },
  'links:': { fixture: 'network-links', expect: [{ id: 'network.links', file: C, line: 34 }] },
  '--link in the Makefile': {
    fixture: 'network-link-flag',
    expect: [{ id: 'network.link-flag', file: 'Makefile', line: 11 }],
  },
  'no network declared': {
    fixture: 'network-declared',
    expect: [{ id: 'network.declared', file: C, line: 1 }],
  },

  'no restart policy': {
    fixture: 'services-restart',
    expect: [{ id: 'services.restart', file: C, line: 4 }],
  },
  'mariadb published': {
    fixture: 'services-ports-mariadb',
    expect: [{ id: 'services.ports', file: C, line: 16 }],
  },
  'nginx on port 80 too': {
    fixture: 'services-ports-80',
    expect: [{ id: 'services.ports', file: C, line: 43 }],
  },

  'WordPress files in no volume': {
    fixture: 'volumes-count',
    expect: [{ id: 'volumes.count', file: C, line: 20 }],
  },
  "a volume in Docker's directory": {
    fixture: 'volumes-location',
    expect: [{ id: 'volumes.location', file: C, line: 57 }],
  },
  'a bind mount under subject v5': {
    fixture: 'volumes-named',
    expect: [{ id: 'volumes.named', file: C, line: 16 }],
  },

  'CMD in shell form': {
    fixture: 'processes-exec-form',
    expect: [{ id: 'processes.exec-form', file: req('nginx/Dockerfile'), line: 14 }],
  },
  'an entrypoint that does not exec': {
    fixture: 'processes-exec',
    expect: [{ id: 'processes.exec', file: req('mariadb/tools/entrypoint.sh'), line: 17 }],
  },
  'exec mysqld_safe': {
    fixture: 'processes-mysqld-safe',
    expect: [{ id: 'processes.exec', file: req('mariadb/tools/entrypoint.sh'), line: 17 }],
  },
  'exec tail -f /dev/null': {
    fixture: 'processes-keep-alive',
    expect: [{ id: 'processes.keep-alive', file: req('wordpress/tools/setup.sh'), line: 14 }],
  },
  'sh -c with an endless loop': {
    fixture: 'processes-keep-alive-inline',
    expect: [
      { id: 'processes.exec', file: C, line: 23 },
      { id: 'processes.keep-alive', file: C, line: 23 },
    ],
  },
  'sh -c "...; nginx" without exec': {
    base: 'clean-alpine',
    fixture: 'processes-exec-inline',
    expect: [{ id: 'processes.exec', file: req('nginx/Dockerfile'), line: 9 }],
  },
  'a while-true wait loop': {
    fixture: 'processes-loop-style',
    expect: [{ id: 'processes.loop-style', file: req('wordpress/tools/setup.sh'), line: 5 }],
  },

  'TLSv1 and TLSv1.1 allowed': {
    fixture: 'tls-protocols',
    expect: [{ id: 'tls.protocols', file: req('nginx/conf/inception.conf'), line: 8 }],
  },
  'no ssl_protocols': {
    fixture: 'tls-protocols-missing',
    expect: [{ id: 'tls.protocols', file: req('nginx') }],
  },
  'listen 80': {
    fixture: 'tls-listen',
    expect: [{ id: 'tls.listen', file: req('nginx/conf/inception.conf'), line: 2 }],
  },
  'no <login>.42.fr': { fixture: 'domain-name', expect: [{ id: 'host.domain-name', file: C }] },
};

describe('lint --inception on fixtures', () => {
  for (const [name, c] of Object.entries(cases))
    it(name, async () => {
      const { failed, report } = await failures(name.replace(/\W+/g, '-'), c);
      expect(failed).toEqual(expect.arrayContaining(c.expect));
      expect(failed).toHaveLength(c.expect.length);
      expect(report.ok).toBe(
        !c.expect.some((e) => report.results.find((r) => r.id === e.id)?.severity === 'error'),
      );
    });
});
