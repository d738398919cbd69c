#!/bin/sh
# Makes the self-signed certificate of ${DOMAIN_NAME} when the container has none (its private key
# never enters the image), writes the site's configuration, checks it, and then nginx replaces this
# script and runs in the foreground as PID 1.
set -eu
: "${DOMAIN_NAME:?is not set (srcs/.env: LOGIN)}"

if [ ! -s /etc/nginx/ssl/inception.key ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
    -subj "/CN=$DOMAIN_NAME" -addext "subjectAltName=DNS:$DOMAIN_NAME" \
    -keyout /etc/nginx/ssl/inception.key -out /etc/nginx/ssl/inception.crt 2>/dev/null
  chmod 600 /etc/nginx/ssl/inception.key
  echo "nginx: made a self-signed certificate for $DOMAIN_NAME"
fi

envsubst '${DOMAIN_NAME}' </etc/nginx/templates/inception.conf.template >/etc/nginx/conf.d/inception.conf
nginx -t -q

exec "$@"
