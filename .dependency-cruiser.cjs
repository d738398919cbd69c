// The rooms of DESIGN.md and the arrows between them. `npm run lint` (and so `make test`) fails on
// any import that crosses them. "as types" means `import type` only: no runtime code crosses.
const rooms = {
  // room: [rooms it may import at run time, rooms it may import as types only, npm packages it may import]
  core: [[], [], []],
  graph: [['core'], [], []],
  // compose parses YAML with js-yaml's event stream; .env and shell words have their own parsers (Compose's rules)
  compose: [['graph', 'core'], [], ['js-yaml']],
  engine: [['core'], [], ['dockerode', 'tar-stream']],
  build: [
    ['graph', 'core'],
    ['compose', 'engine'],
    ['tar-stream', '@balena/dockerignore'],
  ],
  // reconcile packs the secrets and configs it copies into containers with tar-stream
  reconcile: [['graph', 'core'], ['compose', 'engine'], ['tar-stream']],
  // swarm: deploy to Docker Swarm (convert, observe, plan, execute), with the same arrows as reconcile
  swarm: [['graph', 'core'], ['compose', 'engine'], []],
  watch: [['core'], ['compose', 'engine'], ['chokidar', '@balena/dockerignore', 'tar-stream']],
  // lint parses Dockerfiles with dockerfile-ast (the parser of VS Code's Docker tooling: escapes, heredocs, JSON forms)
  lint: [['core'], ['compose', 'engine'], ['shell-quote', 'dockerfile-ast']],
  ui: [['core'], [], ['listr2']],
  app: [['compose', 'graph', 'reconcile', 'swarm', 'build', 'watch', 'lint', 'ui', 'core'], ['engine'], []],
  cli: [['*'], [], ['commander']],
};
const all = Object.keys(rooms);
const packages = [...new Set(Object.values(rooms).flatMap(([, , p]) => p))];

const forbidden = [
  {
    name: 'no-dev-dependency-in-src',
    comment:
      'The CLI ships with its dependencies only: devDependencies (test oracles such as yaml and dotenv) stay out of src/.',
    severity: 'error',
    from: { path: '^src/' },
    to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true, dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'no-unknown-room',
    comment: 'Every source file lives in one of the rooms of DESIGN.md.',
    severity: 'error',
    from: { path: '^src/', pathNot: `^src/(${all.join('|')})/` },
    to: {},
  },
];
for (const [room, [runtime, typesOnly, pkgs]] of Object.entries(rooms)) {
  if (runtime.includes('*')) continue;
  const mayRun = [room, ...runtime];
  const others = all.filter((r) => !mayRun.includes(r));
  const typeOnlyAllowed = others.filter((r) => typesOnly.includes(r));
  const never = others.filter((r) => !typesOnly.includes(r));
  if (never.length > 0)
    forbidden.push({
      name: `${room}-imports`,
      comment: `src/${room}/ may import ${mayRun.join(', ')}${typesOnly.length ? ` (and ${typesOnly.join(', ')} as types)` : ''}`,
      severity: 'error',
      from: { path: `^src/${room}/` },
      to: { path: `^src/(${never.join('|')})/` },
    });
  if (typeOnlyAllowed.length > 0)
    forbidden.push({
      name: `${room}-type-only-imports`,
      comment: `src/${room}/ may import ${typeOnlyAllowed.join(', ')} as types only (import type)`,
      severity: 'error',
      from: { path: `^src/${room}/` },
      to: { path: `^src/(${typeOnlyAllowed.join('|')})/`, dependencyTypesNot: ['type-only'] },
    });
  const foreign = packages.filter((p) => !pkgs.includes(p));
  if (foreign.length > 0)
    forbidden.push({
      name: `${room}-packages`,
      comment: `src/${room}/ may use the packages ${pkgs.join(', ') || '(none)'}`,
      severity: 'error',
      from: { path: `^src/${room}/` },
      to: {
        dependencyTypes: ['npm', 'npm-dev'],
        path: `node_modules/(${foreign.map((p) => p.replace('/', '\\/')).join('|')})/`,
      },
    });
}

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
