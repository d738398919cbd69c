#!/bin/sh
# Healthy when a backup could run now: the database answers WordPress's user and /backups is writable.
MYSQL_PWD=$(cat /run/secrets/db_password) || exit 1
export MYSQL_PWD
. /etc/inception-backup.env
test -w /backups && exec mariadb-admin -h mariadb -u "$MYSQL_USER" --connect-timeout=3 ping >/dev/null
