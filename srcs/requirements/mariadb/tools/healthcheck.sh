#!/bin/sh
# Healthy when WordPress's user can log in over TCP and use its database, which is what WordPress needs.
MYSQL_PWD=$(cat /run/secrets/db_password) || exit 1
export MYSQL_PWD
exec mariadb --protocol=tcp -h 127.0.0.1 -u "$MYSQL_USER" -e 'SELECT 1' "$MYSQL_DATABASE" >/dev/null
