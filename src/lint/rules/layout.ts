import { posix } from 'node:path';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

/** The repository's shape: Makefile at the root, srcs/docker-compose.yml, one Dockerfile per service. */
export const layoutRules: StaticRule[] = [
  staticRule('layout.makefile', 'error', 'layout', 'a Makefile at the root of the repository', (facts) => {
    const found = ['Makefile', 'makefile', 'GNUmakefile'].find((name) => facts.input.files.has(name));
    return verdict(
      found
        ? []
        : [
            {
              message: 'there is no Makefile at the root of the repository',
              fix: 'add a Makefile at the root whose default target builds and starts srcs/docker-compose.yml',
              place: { file: 'Makefile' },
            },
          ],
      `${found} found`,
    );
  }),

  staticRule(
    'layout.compose-file',
    'error',
    'layout',
    'the compose file is srcs/docker-compose.yml',
    (facts) => {
      const path = facts.rel(facts.input.compose.file);
      const ok = /^srcs\/docker-compose\.ya?ml$/.test(path);
      return verdict(
        ok
          ? []
          : [
              {
                message: `the compose file is ${path}, not srcs/docker-compose.yml`,
                fix: 'move it to srcs/docker-compose.yml, with the services under srcs/requirements/',
                place: { file: path },
              },
            ],
        path,
      );
    },
  ),

  staticRule(
    'layout.dockerfile',
    'error',
    'layout',
    'one non-empty Dockerfile per service, under srcs/requirements/',
    (facts) => {
      const findings = [];
      let checked = 0;
      for (const s of facts.services) {
        if (!s.config.build) continue; // services.build says it
        checked++;
        const place = facts.composePlace(['services', s.name, 'build']);
        if (!s.dockerfilePath) {
          findings.push({
            message: `service "${s.name}" has no Dockerfile of its own (inline or remote build)`,
            fix: `write srcs/requirements/${s.name}/Dockerfile and point build: at that directory`,
            place,
          });
          continue;
        }
        if (!s.dockerfilePath.startsWith('srcs/requirements/')) {
          findings.push({
            message: `the Dockerfile of "${s.name}" is ${s.dockerfilePath}, outside srcs/requirements/`,
            fix: `move it to srcs/requirements/${s.name}/Dockerfile`,
            place,
          });
          continue;
        }
        const file = facts.input.files.get(s.dockerfilePath);
        if (!file) {
          findings.push({
            message: `${s.dockerfilePath} (the Dockerfile of "${s.name}") does not exist`,
            fix: `write it, or fix build: of "${s.name}"`,
            place,
          });
          continue;
        }
        const meaningful = (file.text ?? '').split('\n').some((l) => l.trim() && !l.trim().startsWith('#'));
        if (!meaningful || !s.dockerfile?.stages.length)
          findings.push({
            message: `${s.dockerfilePath} is empty (no instruction)`,
            fix: `write the image of "${s.name}" in it, starting with FROM`,
            place: { file: s.dockerfilePath, line: 1 },
          });
      }
      // one per service: two services sharing one Dockerfile hide one of them
      const byDockerfile = new Map<string, string[]>();
      for (const s of facts.services)
        if (s.dockerfilePath)
          byDockerfile.set(s.dockerfilePath, [...(byDockerfile.get(s.dockerfilePath) ?? []), s.name]);
      for (const [path, names] of byDockerfile)
        if (names.length > 1)
          findings.push({
            message: `services ${names.map((n) => `"${n}"`).join(', ')} share ${path}`,
            fix: 'give each service its own directory and Dockerfile under srcs/requirements/',
            place: facts.composePlace(['services', names[1]!, 'build']),
          });
      return verdict(findings, `${plural(checked, 'Dockerfile')} under srcs/requirements/`);
    },
  ),

  staticRule('layout.env-file', 'warning', 'layout', 'the variables are in srcs/.env', (facts) => {
    const composeDir = posix.dirname(facts.rel(facts.input.compose.file));
    const path = `${composeDir === '.' ? '' : `${composeDir}/`}.env`;
    return verdict(
      facts.input.files.has(path)
        ? []
        : [
            {
              message: `there is no ${path}: the subject asks for environment variables, kept in a .env file`,
              fix: `write the settings (login, domain, database and user names) in ${path}, and keep passwords in Docker secrets`,
              place: { file: path },
            },
          ],
      `${path} found`,
    );
  }),
];
