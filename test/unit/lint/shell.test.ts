import { describe, expect, it } from 'vitest';
import {
  finalCommand,
  isEndlessCondition,
  isExec,
  keepAliveCommand,
  parseShell,
} from '../../../src/lint/shell.js';

const final = (text: string) => finalCommand(parseShell(text));

describe('parseShell', () => {
  it('finds the command a script ends with, through ifs, comments and heredocs', () => {
    const script = `#!/bin/sh
set -e
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --user=mysql \\
    --datadir=/var/lib/mysql   # a comment
fi
cat > /etc/x.cnf <<EOF
while true
EOF
exec "$@"
`;
    const parsed = parseShell(script);
    expect(parsed.heredocs).toEqual([{ text: 'while true', line: 8 }]);
    expect(parsed.loops).toEqual([]);
    expect(final(script)).toMatchObject({ words: ['exec', '$@'], line: 10, depth: 0 });
  });

  it('does not take exec inside a case or an if for the end of the script', () => {
    const script = `case "$1" in
  mysqld|mariadbd) exec mariadbd ;;
  *) echo other ;;
esac
php-fpm8.2 -F
`;
    expect(final(script)).toMatchObject({ words: ['php-fpm8.2', '-F'], line: 5 });
    expect(isExec(final(script))).toBe(false);
  });

  it('follows main "$@" into the function', () => {
    const script = `main() {
  setup
  exec nginx -g 'daemon off;'
}
main "$@"
`;
    expect(final(script)).toMatchObject({ words: ['exec', 'nginx', '-g', 'daemon off;'] });
  });

  it('ignores an exec that only redirects', () => {
    expect(isExec(final('exec >/dev/null 2>&1\nnginx\n'))).toBe(false);
    expect(final('exec 2>&1\nexec nginx\n')).toMatchObject({ words: ['exec', 'nginx'] });
  });

  it('sees endless loops and whether they can end', () => {
    const script = `while true; do
  if mysqladmin ping; then break; fi
  sleep 1
done
while :; do sleep 3600; done
until false
do
  date
done
for ((;;)); do :; done
while ! mysqladmin ping; do sleep 1; done
`;
    const loops = parseShell(script).loops;
    expect(loops.map((l) => [l.line, isEndlessCondition(l), l.canLeave])).toEqual([
      [1, true, true],
      [5, true, false],
      [6, true, false],
      [10, true, false],
      [11, false, false],
    ]);
  });

  it('knows keep-alive commands', () => {
    expect(keepAliveCommand(['tail', '-f', '/dev/null'])).toBe('tail -f /dev/null');
    expect(keepAliveCommand(['/usr/bin/tail', '-n0', '-F', 'x'])).toBe('tail -n0 -F x');
    expect(keepAliveCommand(['sleep', 'infinity'])).toBe('sleep infinity');
    expect(keepAliveCommand(['sleep', '1'])).toBeUndefined();
    expect(keepAliveCommand(['tail', '-n', '5', 'log'])).toBeUndefined();
  });

  it('keeps command substitutions inside their word and marks background jobs', () => {
    const parsed = parseShell('PASS=$(cat /run/secrets/db) && php-fpm -D &\nwait\n');
    expect(parsed.commands.map((c) => [c.words, c.background])).toEqual([
      [['PASS=$( cat /run/secrets/db)'], false],
      [['php-fpm', '-D'], true],
      [['wait'], false],
    ]);
  });
});
