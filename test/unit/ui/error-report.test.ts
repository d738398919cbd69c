import { describe, expect, it } from 'vitest';
import { InterruptedError, projectError, TsComposeError, usageError } from '../../../src/core/errors.js';
import { causeChain, renderError } from '../../../src/ui/error-report.js';

const plain = { verbose: false, color: false };

describe('error reports', () => {
  it('shows the headline, the place, the cause and the fix, without a stack', () => {
    const cause = Object.assign(new Error('listen tcp 0.0.0.0:443: bind: address already in use'), {
      code: 'EADDRINUSE',
    });
    const error = new TsComposeError('port 443 of service "nginx" is already in use', {
      code: 'engine.port-in-use',
      location: { file: 'srcs/docker-compose.yml', line: 12, column: 9, path: 'services.nginx.ports[0]' },
      hint: 'stop what listens on 443 (ss -ltnp) or publish another port',
      cause,
    });
    const report = renderError(error, plain);
    expect(report.exitCode).toBe(1);
    expect(report.text).toBe(
      [
        'error: port 443 of service "nginx" is already in use',
        '  at srcs/docker-compose.yml:12:9 (services.nginx.ports[0])',
        '  cause: listen tcp 0.0.0.0:443: bind: address already in use (EADDRINUSE)',
        'hint: stop what listens on 443 (ss -ltnp) or publish another port',
        '',
      ].join('\n'),
    );
  });

  it('keeps the exit code of the error: 15 for a project, 2 for usage, 130 for Ctrl-C', () => {
    expect(renderError(projectError('bad', 'compose.x'), plain).exitCode).toBe(15);
    expect(renderError(usageError('bad'), plain).exitCode).toBe(2);
    const interrupted = renderError(new InterruptedError(), plain);
    expect(interrupted).toEqual({ text: 'interrupted\n', exitCode: 130 });
  });

  it('adds the code and the stacks with --verbose', () => {
    const error = new TsComposeError('cannot reach the engine', {
      code: 'engine.unreachable',
      cause: new Error('connect ENOENT /var/run/docker.sock'),
    });
    const text = renderError(error, { verbose: true, color: false }).text;
    expect(text).toContain('code: engine.unreachable, exit code 1');
    expect(text).toMatch(/TsComposeError: cannot reach the engine\n\s+at /);
    expect(text).toMatch(/caused by Error: connect ENOENT/);
  });

  it('calls anything else a bug, with its stack', () => {
    const report = renderError(new TypeError("Cannot read properties of undefined (reading 'x')"), plain);
    expect(report.exitCode).toBe(1);
    expect(report.text).toMatch(/^internal error: Cannot read properties/);
    expect(report.text).toMatch(/TypeError: .*\n\s+at /);
    expect(report.text).toContain('hint: this is a bug in tscompose');
  });

  it('colours only when asked', () => {
    expect(renderError(usageError('x', 'y'), { verbose: false, color: true }).text).toBe(
      '\u001b[31m\u001b[1merror:\u001b[22m\u001b[39m \u001b[1mx\u001b[22m\n\u001b[36mhint:\u001b[39m y\n',
    );
  });

  it('lists each cause once, outermost first', () => {
    const inner = new Error('EACCES');
    const middle = new Error('cannot open file', { cause: inner });
    const outer = new Error('load failed', { cause: middle });
    expect(causeChain(outer)).toEqual(['cannot open file', 'EACCES']);
  });
});
