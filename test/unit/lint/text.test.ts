import { describe, expect, it } from 'vitest';
import { isSecretName, secretLiterals } from '../../../src/lint/text.js';

const lines = (text: string) => secretLiterals(text).map((s) => s.line);

describe('secretLiterals', () => {
  it('finds passwords written as values', () => {
    expect(lines('MYSQL_ROOT_PASSWORD=hunter2')).toEqual([1]);
    expect(lines('export WP_ADMIN_PASS="s3cret"')).toEqual([1]);
    expect(lines('ENV DB_PASSWORD root42')).toEqual([1]);
    expect(lines('ARG DB_PWD=1234')).toEqual([1]);
    expect(lines('  MYSQL_PASSWORD: hunter2')).toEqual([1]);
    expect(lines("mysql -e \"CREATE USER 'wp'@'%' IDENTIFIED BY 'wp42';\"")).toEqual([1]);
    expect(lines("ALTER USER 'root'@'localhost' IDENTIFIED BY PASSWORD('x');")).toEqual([1]);
    expect(lines("define( 'DB_PASSWORD', 'wordpress42' );")).toEqual([1]);
    expect(lines('wp core install --admin_password=boss42 --url=x')).toEqual([1]);
    expect(lines('mysqladmin -uroot -proot42 ping')).toEqual([1]);
  });

  it('leaves references, comments and prose alone', () => {
    const text = [
      'MYSQL_PASSWORD=${MYSQL_PASSWORD}',
      'DB_PASSWORD=$(cat /run/secrets/db_password)',
      'MYSQL_PASSWORD_FILE=/run/secrets/db_password',
      "mysql -e \"CREATE USER '${U}'@'%' IDENTIFIED BY '${P}';\"",
      "define('DB_PASSWORD', trim(file_get_contents('/run/secrets/db_password')));",
      ' * looks there), in the image, and holds no secret: settings come from the environment',
      '# MYSQL_ROOT_PASSWORD=example',
      '// $password = "x";',
      'wp user create writer w@x --user_pass="$WP_USER_PASSWORD"',
      'echo "the password: is in a secret"',
      'PASSWORD=',
      'mariadb -uroot -p"$MYSQL_ROOT_PASSWORD" -e "select 1"',
      'mysql -u root -p',
      'ssl_password_file /etc/keys/global.pass;',
    ].join('\n');
    expect(secretLiterals(text)).toEqual([]);
  });

  it('knows credential names', () => {
    for (const name of [
      'MYSQL_ROOT_PASSWORD',
      'WP_ADMIN_PASS',
      'db_pwd',
      'API_KEY',
      'adminPassword',
      'FTP_PASSWD',
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      'MYSQL_PASSWORD_FILE',
      'PASSWORD_PATH',
      'BYPASS_CACHE',
      'KEEP',
      'WP_ADMIN_USER',
      'COMPASS',
    ])
      expect(isSecretName(name), name).toBe(false);
  });
});
