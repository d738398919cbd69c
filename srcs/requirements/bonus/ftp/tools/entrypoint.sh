#!/bin/sh
# Creates the FTP account with the uid of www-data, so that what it uploads belongs to WordPress,
# sets its password from /run/secrets/ftp_password (through stdin), writes ProFTPD's configuration,
# and then ProFTPD replaces this script and runs in the foreground as PID 1.
set -eu
: "${FTP_USER:?is not set (srcs/.env)}" "${FTP_PASV_MIN_PORT:?}" "${FTP_PASV_MAX_PORT:?}"
[ -s /run/secrets/ftp_password ] || { echo "ftp: the secret ftp_password is missing (run make)" >&2; exit 1; }

if ! id -u "$FTP_USER" >/dev/null 2>&1; then
  useradd -K UID_MIN=1 --non-unique --uid "$(id -u www-data)" --gid www-data --no-create-home \
    --home-dir /var/www/wordpress --shell /usr/sbin/nologin "$FTP_USER"
fi
printf '%s:%s\n' "$FTP_USER" "$(cat /run/secrets/ftp_password)" | chpasswd

envsubst '${FTP_USER} ${FTP_PASV_MIN_PORT} ${FTP_PASV_MAX_PORT}' \
  </etc/proftpd/inception.conf.template >/etc/proftpd/inception.conf

exec "$@"
