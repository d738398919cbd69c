<?php
// Adminer from Debian's package, with the stack's MariaDB as the only server of the login form and
// no call home for new versions (the stack has no internet).
const ADMINER_DIR = '/usr/share/adminer';

function adminer_object()
{
    include_once ADMINER_DIR . '/plugins/plugin.php';
    include_once ADMINER_DIR . '/plugins/login-servers.php';
    include_once ADMINER_DIR . '/plugins/version-noverify.php';
    return new AdminerPlugin([
        new AdminerLoginServers(['MariaDB (mariadb)' => ['server' => 'mariadb', 'driver' => 'server']]),
        new AdminerVersionNoverify(),
    ]);
}

include ADMINER_DIR . '/adminer.php';
