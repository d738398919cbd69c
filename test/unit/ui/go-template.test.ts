import { describe, expect, it } from 'vitest';
import { isTsComposeError } from '../../../src/core/errors.js';
import { Template, type TemplateValue } from '../../../src/ui/go-template.js';

const container = {
  Name: 'p-web-1',
  Service: 'web',
  State: 'running',
  ExitCode: 0,
  Names: ['p-web-1'],
  Publishers: [
    { URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
    { URL: '0.0.0.0', TargetPort: 443, PublishedPort: 8443, Protocol: 'tcp' },
  ],
  Labels: { 'com.docker.compose.service': 'web', 'com.docker.compose.project': 'p' },
  Label: (key: TemplateValue) => ({ 'com.docker.compose.service': 'web' })[String(key)] ?? '',
} satisfies Record<string, TemplateValue>;

const run = (source: string, data: TemplateValue = container) => Template.parse(source).execute(data);

function failure(source: string): string {
  try {
    run(source);
  } catch (error) {
    if (isTsComposeError(error)) return `${error.exitCode} ${error.message}`;
    throw error;
  }
  throw new Error(`no error for ${source}`);
}

describe('Go templates for --format', () => {
  it('prints fields, nested fields and the whole record', () => {
    expect(run('{{.Name}}')).toBe('p-web-1');
    expect(run('{{.Service}}\t{{.State}} ({{.ExitCode}})')).toBe('web\trunning (0)');
    expect(run('{{.Labels}}')).toBe('map[com.docker.compose.project:p com.docker.compose.service:web]');
    expect(run('{{.Names}}')).toBe('[p-web-1]');
  });

  it('has the functions Docker users script with', () => {
    expect(run('{{json .Names}}')).toBe('["p-web-1"]');
    expect(run('{{json .Publishers}}')).toContain('"PublishedPort":8080');
    expect(run('{{upper .State}} {{lower "ABC"}} {{title "hello world"}}')).toBe('RUNNING abc Hello World');
    expect(run('{{join .Names ","}}')).toBe('p-web-1');
    expect(run('{{index .Labels "com.docker.compose.project"}}')).toBe('p');
    expect(run('{{.Label "com.docker.compose.service"}}')).toBe('web');
    expect(run('{{len .Publishers}}')).toBe('2');
    expect(run('{{printf "%-10s|%5d|%q" .Name .ExitCode .State}}')).toBe('p-web-1   |    0|"running"');
    expect(run('{{truncate .Name 3}}')).toBe('p-w');
    expect(run('{{split "a,b" ","}}')).toBe('[a b]');
  });

  it('supports pipelines, conditions, ranges and trim markers', () => {
    expect(run('{{.Name | upper}}')).toBe('P-WEB-1');
    expect(run('{{.Name | printf "%s!"}}')).toBe('p-web-1!');
    expect(run('{{if eq .State "running"}}up{{else}}down{{end}}')).toBe('up');
    expect(run('{{if ne .ExitCode 0}}failed{{else}}ok{{end}}')).toBe('ok');
    expect(run('{{range .Publishers}}{{.URL}}:{{.PublishedPort}} {{end}}')).toBe(
      '127.0.0.1:8080 0.0.0.0:8443 ',
    );
    expect(run('{{range .Publishers -}} {{.PublishedPort}} {{- end}}')).toBe('80808443');
    expect(run('{{with .Service}}[{{.}}]{{end}}')).toBe('[web]');
    expect(run('{{range $.Names}}{{$.Service}}/{{.}}{{end}}')).toBe('web/p-web-1');
    expect(run('{{/* a comment */}}x')).toBe('x');
    expect(run('{{if and .Name (not .ExitCode)}}yes{{end}}')).toBe('yes');
  });

  it('prints <no value> for a missing label, as Go does for map keys', () => {
    expect(run('{{.Labels.missing}}')).toBe('<no value>');
  });

  it('rejects what it cannot run with a usage error naming the problem', () => {
    expect(failure('{{.Nmae}}')).toMatch(/^2 .*there is no field "Nmae" \(fields: Name, Service, State/);
    expect(failure('{{.Name')).toMatch(/unclosed action/);
    expect(failure('{{if .Name}}x')).toMatch(/has no \{\{end\}\}/);
    expect(failure('{{frobnicate .Name}}')).toMatch(/function "frobnicate" not defined/);
    expect(failure('{{end}}')).toMatch(/unexpected \{\{end\}\}/);
  });

  it('lists the top-level fields a template reads', () => {
    expect(
      Template.parse('{{.Name}}\t{{json .Publishers}}{{if .State}}{{.Service}}{{end}}').fields(),
    ).toEqual(['Name', 'Publishers', 'State', 'Service']);
  });
});
