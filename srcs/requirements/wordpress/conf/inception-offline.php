<?php
/**
 * Plugin Name: Inception offline
 * Description: The stack has no internet access: WordPress does not look for updates on WordPress.org
 * (its code comes from the image), which would only fill the logs with warnings.
 *
 * A must-use plugin of the Inception stack: the entrypoint copies it to wp-content/mu-plugins/.
 */

defined('ABSPATH') || exit;

remove_action('init', 'wp_schedule_update_checks');
remove_action('wp_version_check', 'wp_version_check');
remove_action('wp_update_plugins', 'wp_update_plugins');
remove_action('wp_update_themes', 'wp_update_themes');
remove_action('wp_maybe_auto_update', 'wp_maybe_auto_update');
remove_action('admin_init', '_maybe_update_core');
remove_action('admin_init', '_maybe_update_plugins');
remove_action('admin_init', '_maybe_update_themes');

// Events scheduled before this plugin was there are dropped once.
add_action('init', function () {
    foreach (['wp_version_check', 'wp_update_plugins', 'wp_update_themes'] as $hook) {
        if (wp_next_scheduled($hook)) {
            wp_clear_scheduled_hook($hook);
        }
    }
});
