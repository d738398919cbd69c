import { describe, expect, it } from 'vitest';
import type { Project, ServiceConfig } from '../../../src/compose/model.js';
import { isTsComposeError } from '../../../src/core/errors.js';
import { mergeActions, planActions, renderActions, type WatchAction } from '../../../src/watch/actions.js';
import type { FileChange } from '../../../src/watch/changes.js';
import {
  canSkip,
  watchTriggers,
  type BuildIgnore,
  type TriggerOptions,
} from '../../../src/watch/triggers.js';

const service = (extra: Partial<ServiceConfig>): ServiceConfig => ({
  command: null,
  entrypoint: null,
  ...extra,
});

const project: Project = {
  name: 'demo',
  working_dir: '/proj',
  services: {
    web: service({
      build: { context: '/proj/web' },
      develop: {
        watch: [
          { path: '/proj/web/html', action: 'sync', target: '/var/www/html', ignore: ['*.log', 'cache/'] },
          { path: '/proj/web/nginx.conf', action: 'sync+restart', target: '/etc/nginx/nginx.conf' },
          { path: '/proj/web/Dockerfile', action: 'rebuild' },
        ],
      },
    }),
    php: service({
      image: 'php',
      develop: {
        watch: [
          {
            path: '/proj/php/src',
            action: 'sync+exec',
            target: '/app',
            exec: { command: ['php', '-l', '/app'] },
          },
          { path: '/proj/php/php.ini', action: 'restart' },
          { path: '/proj/php/templates', action: 'sync', target: '/templates', include: ['*.twig'] },
        ],
      },
    }),
    db: service({ build: { context: '/proj/db' } }),
    cache: service({ image: 'redis' }),
  },
};

const ignores = new Map<string, BuildIgnore>([
  [
    'web',
    {
      contextDir: '/proj/web',
      dockerfile: '/proj/web/Dockerfile',
      file: '/proj/web/.dockerignore',
      patterns: ['**/*.tmp', '**/node_modules', 'Dockerfile'],
    },
  ],
  [
    'db',
    {
      contextDir: '/proj/db',
      dockerfile: '/proj/db/Dockerfile',
      file: '/proj/db/.dockerignore',
      patterns: ['*.md'],
    },
  ],
]);

const changed = (...paths: string[]): FileChange[] =>
  paths.map((path) => ({ path, kind: 'changed', type: 'file' }));
const deleted = (...paths: string[]): FileChange[] => paths.map((path) => ({ path, kind: 'deleted' }));

function plan(changes: FileChange[], options: TriggerOptions = {}) {
  const { triggers } = watchTriggers(project, options, ignores);
  return renderActions(planActions(changes, triggers), '/proj');
}

describe('planActions (golden)', () => {
  it('syncs one saved file to its container path', () => {
    expect(plan(changed('/proj/web/html/index.html'))).toBe(
      [
        'web: sync (1 files: web/html/index.html)',
        '  copy web/html/index.html -> /var/www/html/index.html',
        '',
      ].join('\n'),
    );
  });

  it('turns a burst of 1,000 files into one action for the service', () => {
    const paths = Array.from(
      { length: 1000 },
      (_, i) => `/proj/web/html/page${String(i).padStart(4, '0')}.html`,
    );
    const actions = planActions(changed(...paths), watchTriggers(project, {}, ignores).triggers);
    expect(actions).toHaveLength(1);
    const [action] = actions;
    expect(action?.kind).toBe('sync');
    if (action?.kind === 'sync') {
      expect(action.copy).toHaveLength(1000);
      expect(action.copy[999]).toEqual({
        hostPath: '/proj/web/html/page0999.html',
        containerPath: '/var/www/html/page0999.html',
      });
    }
  });

  it('lets a rebuild absorb the syncs of the same batch (even of a file .dockerignore leaves out)', () => {
    expect(plan(changed('/proj/web/html/a.html', '/proj/web/nginx.conf', '/proj/web/Dockerfile'))).toBe(
      [
        'web: rebuild (3 files: web/Dockerfile, web/html/a.html, web/nginx.conf)',
        '  rebuild image (rule)',
        '',
      ].join('\n'),
    );
  });

  it('restarts after a sync+restart rule, and maps a file rule onto its target', () => {
    expect(plan(changed('/proj/web/nginx.conf'))).toBe(
      [
        'web: sync+restart (1 files: web/nginx.conf)',
        '  copy web/nginx.conf -> /etc/nginx/nginx.conf',
        '  restart containers',
        '',
      ].join('\n'),
    );
  });

  it('removes deleted paths, the topmost only, and copies what replaced them', () => {
    expect(
      plan([
        ...deleted(
          '/proj/web/html/old',
          '/proj/web/html/old/a.html',
          '/proj/web/html/old/b/c.html',
          '/proj/web/html/x.html',
        ),
        ...changed('/proj/web/html/new.html'),
      ]),
    ).toBe(
      [
        'web: sync (5 files: web/html/new.html, web/html/old, web/html/old/a.html, web/html/old/b/c.html, web/html/x.html)',
        '  remove /var/www/html/old',
        '  remove /var/www/html/x.html',
        '  copy web/html/new.html -> /var/www/html/new.html',
        '',
      ].join('\n'),
    );
  });

  it("ignores the rule's patterns, the build context's .dockerignore, editors' files and .git", () => {
    expect(
      plan(
        changed(
          '/proj/web/html/debug.log',
          '/proj/web/html/cache/page.html',
          '/proj/web/html/draft.tmp',
          '/proj/web/html/node_modules/x.js',
          '/proj/web/html/.index.html.swp',
          '/proj/web/html/index.html~',
          '/proj/web/html/4913',
          '/proj/web/html/.git/HEAD',
          '/proj/web/html/page.html___jb_tmp___',
          '/proj/elsewhere.txt',
        ),
      ),
    ).toBe('(nothing to do)\n');
  });

  it('runs sync+exec commands once after the copy, with a restart rule of the same batch', () => {
    expect(plan(changed('/proj/php/src/a.php', '/proj/php/src/b.php', '/proj/php/php.ini'))).toBe(
      [
        'php: sync+restart+exec (3 files: php/php.ini, php/src/a.php, php/src/b.php)',
        '  copy php/src/a.php -> /app/a.php',
        '  copy php/src/b.php -> /app/b.php',
        '  restart containers',
        '  exec ["php","-l","/app"]',
        '',
      ].join('\n'),
    );
    expect(plan(changed('/proj/php/php.ini'))).toBe(
      'php: restart (1 files: php/php.ini)\n  restart containers\n',
    );
  });

  it('keeps only included files when a rule has include', () => {
    expect(plan(changed('/proj/php/templates/page.twig', '/proj/php/templates/notes.txt'))).toBe(
      [
        'php: sync (1 files: php/templates/page.twig)',
        '  copy php/templates/page.twig -> /templates/page.twig',
        '',
      ].join('\n'),
    );
  });

  it('rebuilds a service without develop from its build context only with --build-context', () => {
    const change = changed('/proj/db/init.sql', '/proj/db/README.md');
    expect(plan(change)).toBe('(nothing to do)\n');
    expect(plan(change, { buildContext: true })).toBe(
      'db: rebuild (1 files: db/init.sql)\n  rebuild image (build-context)\n',
    );
  });

  it('gives every service of a batch its own action, sorted by service', () => {
    const text = plan(changed('/proj/php/src/a.php', '/proj/web/html/a.html', '/proj/db/x'), {
      buildContext: true,
    });
    expect(text.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      'db: rebuild (1 files: db/x)',
      'php: sync+exec (1 files: php/src/a.php)',
      'web: sync (1 files: web/html/a.html)',
      '',
    ]);
  });
});

describe('watchTriggers', () => {
  it('refuses a sync rule without target, with its place', () => {
    const broken: Project = {
      name: 'x',
      services: { a: service({ image: 'i', develop: { watch: [{ path: '/p', action: 'sync' }] } }) },
    };
    let error: unknown;
    try {
      watchTriggers(broken, {}, new Map());
    } catch (e) {
      error = e;
    }
    expect(isTsComposeError(error) && error.code).toBe('watch.invalid-rule');
    expect(isTsComposeError(error) && error.location?.path).toBe('services.a.develop.watch[0].target');
  });

  it('says when nothing is to be watched, and warns about named services without rules', () => {
    expect(() => watchTriggers(project, { services: ['cache'] }, ignores)).toThrow(
      /none of the selected services/,
    );
    const setup = watchTriggers(project, { services: ['web', 'db'] }, ignores);
    expect(setup.services).toEqual(['web']);
    expect(setup.warnings).toEqual([expect.stringContaining('--build-context')]);
  });

  it('lets the file watcher skip ignored folders and what no trigger covers', () => {
    const { triggers } = watchTriggers(project, {}, ignores);
    const files = ['/proj/compose.yaml'];
    expect(canSkip(triggers, files, '/proj')).toBe(false);
    expect(canSkip(triggers, files, '/proj/web')).toBe(false);
    expect(canSkip(triggers, files, '/proj/web/html/node_modules')).toBe(true);
    expect(canSkip(triggers, files, '/proj/web/html/.git')).toBe(true);
    expect(canSkip(triggers, files, '/proj/web/html/src')).toBe(false);
    expect(canSkip(triggers, files, '/proj/web/other')).toBe(true);
    expect(canSkip(triggers, files, '/proj/unrelated')).toBe(true);
    expect(canSkip(triggers, files, '/proj/compose.yaml')).toBe(false);
  });
});

describe('mergeActions', () => {
  const sync = (copy: string[], remove: string[] = [], restart = false): WatchAction => ({
    kind: 'sync',
    service: 'web',
    files: [...copy, ...remove],
    copy: copy.map((p) => ({ hostPath: `/h${p}`, containerPath: p })),
    remove,
    restart,
    exec: [],
  });

  it('adds syncs up, the newer word on a path winning', () => {
    const merged = mergeActions(sync(['/a', '/b']), sync(['/c'], ['/a'], true));
    expect(merged).toMatchObject({
      kind: 'sync',
      copy: [
        { containerPath: '/b', hostPath: '/h/b' },
        { containerPath: '/c', hostPath: '/h/c' },
      ],
      remove: ['/a'],
      restart: true,
    });
    expect(mergeActions(sync([], ['/d']), sync(['/d/e']))).toMatchObject({
      copy: [{ containerPath: '/d/e' }],
      remove: ['/d'],
    });
  });

  it('lets a rebuild absorb everything', () => {
    const rebuild: WatchAction = { kind: 'rebuild', service: 'web', files: ['/x'], source: 'build-context' };
    expect(mergeActions(sync(['/a']), rebuild)).toEqual({
      kind: 'rebuild',
      service: 'web',
      files: ['/a', '/x'],
      source: 'build-context',
    });
  });
});
