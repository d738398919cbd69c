<?php
/**
 * WordPress configuration of the Inception stack. It lives one directory above WordPress (WordPress
 * looks there), in the image, and holds no secret: settings come from the container's environment
 * (srcs/.env) and the database password from the Docker secret in /run/secrets/.
 *
 * There are no authentication keys and salts here on purpose: without them WordPress generates
 * random ones on first use and keeps them in its database (see wp_salt()).
 */

function inception_env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        throw new RuntimeException("wp-config.php: the environment variable $name is not set (srcs/.env)");
    }
    return $value;
}

define('DB_NAME', inception_env('MYSQL_DATABASE'));
define('DB_USER', inception_env('MYSQL_USER'));
define('DB_PASSWORD', trim((string) file_get_contents('/run/secrets/db_password')));
define('DB_HOST', inception_env('WORDPRESS_DB_HOST'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';

define('WP_HOME', 'https://' . inception_env('DOMAIN_NAME'));
define('WP_SITEURL', WP_HOME);

// The bonus Redis object cache (wp-content/object-cache.php): its host, and the prefix of its keys.
define('WP_REDIS_HOST', getenv('WP_REDIS_HOST') ?: 'redis');
define('WP_CACHE_KEY_SALT', 'wp');

// WordPress comes from the image: no updates or file edits from the dashboard, and no calls to the
// internet (the stack has none); requests to the site itself are still allowed.
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISALLOW_FILE_EDIT', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);

if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/wordpress/');
}
require_once ABSPATH . 'wp-settings.php';
