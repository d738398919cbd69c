#!/bin/sh
# First start: copies WordPress into the (empty) volume. Every start: installs our drop-in and plugin,
# then runs install.php, which waits for MariaDB, installs the site and creates the users if needed.
# Then php-fpm replaces this script and runs in the foreground as PID 1.
set -eu

site=/var/www/wordpress
if [ ! -e "$site/wp-settings.php" ]; then
  echo "wordpress: first start, copying WordPress into $site"
  cp -a /usr/src/wordpress/. "$site/"
  chown -R www-data:www-data "$site"
fi
# Ours, from the image, refreshed on every start: the Redis object cache and the offline must-use plugin.
install -o www-data -g www-data -m 644 /usr/local/share/inception/object-cache.php "$site/wp-content/"
install -o www-data -g www-data -m 755 -d "$site/wp-content/mu-plugins"
install -o www-data -g www-data -m 644 /usr/local/share/inception/inception-offline.php "$site/wp-content/mu-plugins/"

runuser -u www-data -- php /usr/local/share/inception/install.php

exec "$@"
