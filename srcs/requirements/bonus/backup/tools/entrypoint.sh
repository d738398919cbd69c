#!/bin/sh
# cron starts its jobs with an empty environment: keep the settings the backup needs (no password:
# the backup reads it from /run/secrets/ when it runs). Then cron replaces this script as PID 1.
set -eu
: "${MYSQL_DATABASE:?is not set (srcs/.env)}" "${MYSQL_USER:?is not set (srcs/.env)}"
{
  printf 'MYSQL_DATABASE=%s\n' "$MYSQL_DATABASE"
  printf 'MYSQL_USER=%s\n' "$MYSQL_USER"
  printf 'BACKUP_KEEP=%s\n' "${BACKUP_KEEP:-7}"
} >/etc/inception-backup.env
exec "$@"
