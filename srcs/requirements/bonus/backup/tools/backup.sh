#!/bin/bash
# One backup: the WordPress database as SQL and the site files as a tar archive, in
# /backups/<UTC date>-<time>/ (written under a temporary name, renamed when complete). Keeps the
# newest $BACKUP_KEEP backups. Restore: see the README ("Backups").
set -euo pipefail
# shellcheck source=/dev/null
. /etc/inception-backup.env

stamp=$(date -u +%Y%m%d-%H%M%S)
partial=/backups/.$stamp.partial
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

MYSQL_PWD=$(cat /run/secrets/db_password)
export MYSQL_PWD
mariadb-dump -h mariadb -u "$MYSQL_USER" --single-transaction --routines --triggers "$MYSQL_DATABASE" \
  | gzip >"$partial/database.sql.gz"
tar -C /var/www -czf "$partial/wordpress.tar.gz" wordpress
mv "$partial" "/backups/$stamp"

find /backups -mindepth 1 -maxdepth 1 -type d -name '2*' | sort -r | tail -n +"$((BACKUP_KEEP + 1))" | xargs -r rm -rf
echo "backup: /backups/$stamp ($(du -sh "/backups/$stamp" | cut -f1))"
