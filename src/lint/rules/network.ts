import { isMap as isPlainMap } from '../types.js';
import type { Finding } from '../types.js';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

export const networkRules: StaticRule[] = [
  staticRule('network.host', 'error', 'network', 'no network_mode: host', (facts) => {
    const findings: Finding[] = facts.services
      .filter((s) => s.config.network_mode === 'host')
      .map((s) => ({
        message: `service "${s.name}" shares the host's network (network_mode: host is forbidden)`,
        fix: 'remove network_mode and attach the service to the project network',
        place: facts.composePlace(['services', s.name, 'network_mode']),
      }));
    return verdict(findings, 'no service on the host network');
  }),

  staticRule('network.links', 'error', 'network', 'no links or external_links', (facts) => {
    const findings: Finding[] = [];
    for (const s of facts.services)
      for (const key of ['links', 'external_links'] as const)
        if (s.config[key]?.length)
          findings.push({
            message: `service "${s.name}" uses ${key}: (forbidden by the subject)`,
            fix: `remove ${key}: services on one user-defined network reach each other by name`,
            place: facts.composePlace(['services', s.name, key], true),
          });
    return verdict(findings, 'no links');
  }),

  staticRule('network.link-flag', 'error', 'network', 'no --link in scripts or the Makefile', (facts) => {
    const findings: Finding[] = [];
    const texts = [...facts.scripts.map((s) => s.path), 'Makefile'];
    for (const path of texts) {
      const text = facts.text(path);
      if (text === undefined) continue;
      text.split('\n').forEach((line, i) => {
        const code = line.replace(/(^|\s)#.*$/, '');
        if (/(^|\s)--link(=|\s|$)/.test(code))
          findings.push({
            message: `${path} starts containers with --link (forbidden)`,
            fix: 'remove --link: put the containers on one user-defined network',
            place: { file: path, line: i + 1 },
          });
      });
    }
    return verdict(findings, `${plural(texts.length, 'file')} without --link`);
  }),

  staticRule(
    'network.declared',
    'error',
    'network',
    'a network is declared in the compose file and every service uses it',
    (facts) => {
      // the raw files: Compose adds a "default" network on its own, the subject wants it written
      const declared = new Set<string>();
      for (const file of facts.input.compose.files)
        for (const doc of file.documents)
          if (isPlainMap(doc) && isPlainMap(doc.networks))
            for (const name of Object.keys(doc.networks)) declared.add(name);
      const findings: Finding[] = [];
      if (declared.size === 0)
        findings.push({
          message: 'the compose file declares no network: the containers sit on the network Compose makes up',
          fix: 'declare one under networks: (e.g. inception: {driver: bridge}) and list it in every service',
          place: { file: facts.rel(facts.input.compose.file), line: 1 },
        });
      else
        for (const s of facts.services) {
          if (s.config.network_mode) continue; // network.host
          const attached = Object.keys(s.config.networks ?? { default: null });
          if (!attached.some((n) => declared.has(n)))
            findings.push({
              message: `service "${s.name}" is on no declared network (${attached.join(', ')})`,
              fix: `list the project network under services.${s.name}.networks`,
              place: facts.composePlace(['services', s.name], true),
            });
        }
      return verdict(findings, `network ${[...declared].join(', ')} declared and used`);
    },
  ),
];
