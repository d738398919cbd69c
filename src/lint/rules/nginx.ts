import type { Facts } from '../input.js';
import { isShellScript } from '../input.js';
import { parseShell } from '../shell.js';
import type { Finding, Place } from '../types.js';
import { staticRule, verdict, type StaticRule } from './rule.js';

interface ConfigLine {
  text: string;
  place: Place;
}

/**
 * The nginx configuration as written in the nginx service's build context: its configuration files
 * and templates, the heredocs of its scripts, and the RUN lines of its Dockerfile (`echo ... >`).
 */
function nginxConfigLines(facts: Facts): ConfigLine[] | undefined {
  const nginx = facts.services.find((s) => s.role === 'nginx');
  if (!nginx?.context) return undefined;
  const out: ConfigLine[] = [];
  const push = (text: string, file: string, firstLine: number) =>
    text.split('\n').forEach((line, i) => {
      const code = line.replace(/(^|\s)#.*$/, '');
      if (code.trim()) out.push({ text: code, place: { file, line: firstLine + i } });
    });
  for (const [path, file] of facts.input.files) {
    if (!path.startsWith(`${nginx.context}/`) || file.text === undefined || path === nginx.dockerfilePath)
      continue;
    if (isShellScript(path, file.text)) {
      for (const heredoc of parseShell(file.text).heredocs) push(heredoc.text, path, heredoc.line);
      for (const line of file.text.split('\n').entries())
        if (/ssl_protocols|listen/.test(line[1]) && /echo|printf/.test(line[1]))
          push(line[1], path, line[0] + 1);
      continue;
    }
    push(file.text, path, 1);
  }
  for (const i of nginx.dockerfile?.instructions ?? [])
    if (i.keyword === 'RUN' && nginx.dockerfilePath)
      out.push({ text: i.text, place: { file: nginx.dockerfilePath, line: i.line } });
  return out;
}

const TLS_OK = new Set(['TLSv1.2', 'TLSv1.3']);

export const nginxRules: StaticRule[] = [
  staticRule('tls.protocols', 'error', 'tls', 'nginx allows TLSv1.2 and TLSv1.3 only', (facts) => {
    const lines = nginxConfigLines(facts);
    if (!lines) return { skip: 'no nginx service built from the repository' };
    const findings: Finding[] = [];
    let found = 0;
    for (const line of lines)
      for (const m of line.text.matchAll(/(?:^|[\s;{'"])ssl_protocols\s+([^;'"\n]*)/g)) {
        found++;
        const protocols = m[1]!.trim().split(/\s+/).filter(Boolean);
        if (protocols.some((p) => p.includes('$'))) continue;
        const bad = protocols.filter((p) => !TLS_OK.has(p));
        if (bad.length || protocols.length === 0)
          findings.push({
            message: `ssl_protocols enables ${bad.join(' ') || 'nothing'}: only TLSv1.2 and TLSv1.3 are allowed`,
            fix: 'ssl_protocols TLSv1.2 TLSv1.3;',
            place: line.place,
          });
      }
    if (found === 0)
      findings.push({
        message:
          "nginx's configuration never sets ssl_protocols: the defaults of the packaged nginx.conf include TLSv1 and TLSv1.1",
        fix: 'add ssl_protocols TLSv1.2 TLSv1.3; to the server block',
        place: { file: facts.services.find((s) => s.role === 'nginx')!.context! },
      });
    return verdict(findings, `${found} ssl_protocols limited to TLSv1.2/TLSv1.3`);
  }),

  staticRule('tls.listen', 'error', 'tls', 'nginx listens on 443 with ssl', (facts) => {
    const lines = nginxConfigLines(facts);
    if (!lines) return { skip: 'no nginx service built from the repository' };
    const listens = lines.flatMap((line) =>
      [...line.text.matchAll(/(?:^|[\s;{'"])listen\s+([^;'"\n]*)/g)].map((m) => ({
        args: m[1]!.trim().split(/\s+/),
        place: line.place,
      })),
    );
    const sslOn = lines.some((l) => /(?:^|[\s;{])ssl\s+on\s*;/.test(l.text));
    const ok = listens.some(
      (l) => l.args.some((a) => /(^|:)(443|\$\{?\w+\}?)$/.test(a)) && (l.args.includes('ssl') || sslOn),
    );
    const nginx = facts.services.find((s) => s.role === 'nginx')!;
    return verdict(
      ok
        ? []
        : [
            {
              message: listens.length
                ? `nginx listens on ${listens.map((l) => l.args.join(' ')).join(', ')}: none is 443 with ssl`
                : 'no listen directive found in the nginx configuration',
              fix: 'listen 443 ssl; (and listen [::]:443 ssl; for IPv6) in the server block',
              place: listens[0]?.place ?? { file: nginx.context! },
            },
          ],
      'listen 443 ssl',
    );
  }),

  staticRule('host.domain-name', 'warning', 'host', 'the site is served as <login>.42.fr', (facts) => {
    const login = facts.login;
    const wanted = login
      ? new RegExp(`(^|[^a-z0-9.-])${login.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.42\\.fr\\b`, 'i')
      : /(^|[^a-z0-9.-])[a-z0-9-]+\.42\.fr\b/i;
    const texts: string[] = [];
    for (const s of facts.services)
      for (const v of Object.values(s.config.environment ?? {})) if (v) texts.push(v);
    for (const line of nginxConfigLines(facts) ?? [])
      if (/server_name/.test(line.text)) texts.push(line.text);
    const envFile = facts.text('srcs/.env');
    if (envFile) texts.push(envFile);
    const ok = texts.some((t) => wanted.test(t));
    return verdict(
      ok
        ? []
        : [
            {
              message: `the domain ${login ? `${login}.42.fr` : '<login>.42.fr'} appears nowhere (server_name, environment, srcs/.env)`,
              fix: `serve the site as ${login ?? '<login>'}.42.fr: server_name in nginx, DOMAIN_NAME in srcs/.env`,
              place: { file: facts.rel(facts.input.compose.file) },
            },
          ],
      `${login ?? '<login>'}.42.fr configured`,
    );
  }),
];
