import type { ServiceConfig } from '../../compose/model.js';
import type { Finding } from '../types.js';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

/** Docker restarts the container after a crash under this policy. */
export function restartsOnCrash(config: ServiceConfig): boolean {
  const policy = config.restart;
  if (policy !== undefined)
    return policy === 'always' || policy === 'unless-stopped' || /^on-failure(:\d+)?$/.test(policy);
  const condition = config.deploy?.restart_policy?.condition;
  return condition === 'any' || condition === 'on-failure';
}

export const serviceRules: StaticRule[] = [
  staticRule('services.restart', 'error', 'services', 'every container restarts after a crash', (facts) => {
    const findings: Finding[] = facts.services
      .filter((s) => !restartsOnCrash(s.config))
      .map((s) => ({
        message:
          s.config.restart === undefined
            ? `service "${s.name}" has no restart policy: a crash leaves it down`
            : `service "${s.name}" has restart: ${s.config.restart}: a crash leaves it down`,
        fix: 'add restart: unless-stopped (or always, on-failure)',
        place: facts.composePlace(
          s.config.restart === undefined ? ['services', s.name] : ['services', s.name, 'restart'],
          s.config.restart === undefined,
        ),
      }));
    return verdict(findings, `${plural(facts.services.length, 'service')} restart on a crash`);
  }),

  staticRule('services.ports', 'error', 'services', 'only nginx publishes a port, and only 443', (facts) => {
    const findings: Finding[] = [];
    let nginxPublishes443 = false;
    for (const s of facts.services) {
      if (s.bonus) continue; // "you can open more ports to suit your needs" for the bonus part
      (s.config.ports ?? []).forEach((port, i) => {
        const place = facts.composePlace(['services', s.name, 'ports', i]);
        const published = port.published ?? '(a random port)';
        if (s.role !== 'nginx') {
          findings.push({
            message: `service "${s.name}" publishes ${published}:${port.target}: nginx must be the only way in`,
            fix: `remove ports: from "${s.name}"; the other containers reach it on the network (expose: ${port.target} if you want to document it)`,
            place,
          });
          return;
        }
        if (port.target === 443 && port.published === '443' && port.protocol === 'tcp')
          nginxPublishes443 = true;
        else
          findings.push({
            message: `nginx publishes ${published}:${port.target}/${port.protocol}: the only way in is port 443`,
            fix:
              port.target === 443
                ? 'publish it as "443:443"'
                : `remove this port (${published}:${port.target})`,
            place,
          });
      });
    }
    const nginx = facts.services.find((s) => s.role === 'nginx');
    if (nginx && !nginxPublishes443 && !findings.some((f) => f.message.startsWith('nginx')))
      findings.push({
        message: 'nginx publishes no port 443: the site cannot be reached',
        fix: 'add ports: ["443:443"] to nginx',
        place: facts.composePlace(
          nginx.config.ports?.length ? ['services', nginx.name, 'ports'] : ['services', nginx.name],
          true,
        ),
      });
    return verdict(findings, 'nginx alone publishes 443');
  }),
];
