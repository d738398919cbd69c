<?php
/**
 * Installs WordPress on the first start of the wordpress container, with WordPress's own functions
 * (there is no wp-cli): waits for MariaDB, runs wp_install() with the administrator, then makes sure
 * the second user exists. On an installed site it only checks the users, so every start may run it.
 * Settings come from the environment (srcs/.env), passwords from /run/secrets/.
 */

function fail(string $message): never
{
    fwrite(STDERR, "wordpress: $message\n");
    exit(1);
}

function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        fail("the environment variable $name is not set (srcs/.env)");
    }
    return $value;
}

function secret(string $name): string
{
    $value = @file_get_contents("/run/secrets/$name");
    if ($value === false || trim($value) === '') {
        fail("the secret $name is missing or empty (run make to generate it)");
    }
    return trim($value);
}

$admin = env('WP_ADMIN_USER');
if (preg_match('/admin/i', $admin)) {
    fail("WP_ADMIN_USER=\"$admin\": the administrator's login must not contain \"admin\" (42 rule)");
}
$user = env('WP_USER');
if ($user === $admin) {
    fail('WP_USER and WP_ADMIN_USER must be two different users');
}

// 1. MariaDB may still be starting after a crash or a restart: wait for it, for a while only.
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
for ($attempt = 1; ; $attempt++) {
    try {
        (new mysqli(env('WORDPRESS_DB_HOST'), env('MYSQL_USER'), secret('db_password'), env('MYSQL_DATABASE')))->close();
        break;
    } catch (mysqli_sql_exception $error) {
        if ($attempt >= 60) {
            fail('cannot reach the database: ' . $error->getMessage());
        }
        sleep(1);
    }
}

// 2. Load WordPress as its own installer does.
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = env('DOMAIN_NAME');
$_SERVER['HTTPS'] = 'on';
$_SERVER['REQUEST_URI'] = '/';

// wp_install() e-mails the administrator; the stack sends no mail, so that pluggable is a no-op.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password)
{
}

require '/var/www/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

// No HTTP requests while installing (wp_install() probes the site's permalinks through the network).
add_filter('pre_http_request', fn() => new WP_Error('inception_install', 'no HTTP while installing'));

if (!is_blog_installed()) {
    $result = wp_install(env('WP_TITLE'), $admin, env('WP_ADMIN_EMAIL'), true, '', wp_slash(secret('wp_admin_password')));
    if (is_wp_error($result)) {
        fail('wp_install failed: ' . $result->get_error_message());
    }
    // Pretty permalinks: nginx sends every unknown path to index.php.
    update_option('permalink_structure', '/%postname%/');
    flush_rewrite_rules(false);
    echo "wordpress: installed \"" . env('WP_TITLE') . "\" at " . home_url('/') . " with the administrator $admin\n";
}

// 3. The second user, an author, created once.
if (!username_exists($user)) {
    $id = wp_insert_user([
        'user_login' => wp_slash($user),
        'user_pass' => wp_slash(secret('wp_user_password')),
        'user_email' => env('WP_USER_EMAIL'),
        'role' => 'author',
    ]);
    if (is_wp_error($id)) {
        fail("cannot create the user $user: " . $id->get_error_message());
    }
    echo "wordpress: created the author $user\n";
}
