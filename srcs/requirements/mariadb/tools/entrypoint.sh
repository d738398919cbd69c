#!/bin/sh
# On the first start (an empty data directory), creates the system tables, sets the root password,
# and creates the WordPress database and its user, with the passwords read from /run/secrets/.
# The SQL goes through stdin, so no password appears in a command line or in the environment.
# Then the server replaces this script and runs in the foreground as PID 1.
set -eu

datadir=/var/lib/mysql
marker=$datadir/.inception-initialized
: "${MYSQL_DATABASE:?is not set (srcs/.env)}" "${MYSQL_USER:?is not set (srcs/.env)}"

# A value for a single-quoted SQL string: backslashes and quotes escaped.
sql_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"; }
secret() {
  [ -s "/run/secrets/$1" ] || { echo "mariadb: the secret $1 is missing (run make to generate it)" >&2; exit 1; }
  sql_string "$(cat "/run/secrets/$1")"
}

chown mysql:mysql "$datadir" /run/mysqld

if [ ! -e "$marker" ]; then
  echo "mariadb: first start, initializing $datadir"
  root_password=$(secret db_root_password)
  password=$(secret db_password)
  if [ ! -d "$datadir/mysql" ]; then
    mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
      --auth-root-authentication-method=socket >/dev/null
  fi
  # Every statement is idempotent: a first start interrupted half-way is simply run again.
  mariadbd --user=mysql --bootstrap --skip-networking <<SQL
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$root_password');
CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;
CREATE USER IF NOT EXISTS '$MYSQL_USER'@'%';
ALTER USER '$MYSQL_USER'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$MYSQL_DATABASE\`.* TO '$MYSQL_USER'@'%';
FLUSH PRIVILEGES;
SQL
  touch "$marker"
  echo "mariadb: database $MYSQL_DATABASE and user $MYSQL_USER created"
fi

exec "$@"
