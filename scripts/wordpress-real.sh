#!/usr/bin/env bash
# A real WordPress for connector checks, from Debian's packages only (wordpress, mariadb-server, php-mysql, php-cli):
# a private mariadbd and `php -S` in a temporary folder, nothing system-wide is started or changed.
#
#   scripts/wordpress-real.sh start DIR   # prints the site's URL, the Editor's user and application password
#   scripts/wordpress-real.sh stop DIR
#
# `start` writes DIR/env (WP_URL, WP_USER, WP_APP_PASSWORD, WP_POST, WP_PAGE, WP_HELD: a held comment with a link) for scripts that drive the site, and
# DIR/wp.php, a small PHP runner: `php DIR/wp.php 'echo wp_get_comment_status(3);'` runs code inside WordPress.
# WordPress takes application passwords over plain http only when WP_ENVIRONMENT_TYPE is "local" (set here).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

stop() {
  # php -S with PHP_CLI_SERVER_WORKERS forks its workers: they outlive the parent unless stopped too.
  if [[ -f $dir/php.pid ]]; then
    pkill -P "$(cat "$dir/php.pid")" 2>/dev/null || true
    kill "$(cat "$dir/php.pid")" 2>/dev/null || true
  fi
  [[ -f $dir/db.pid ]] && kill "$(cat "$dir/db.pid")" 2>/dev/null || true
  rm -f "$dir/php.pid" "$dir/db.pid"
}
if [[ $cmd == stop ]]; then stop; exit 0; fi

for bin in mariadbd mariadb-install-db php; do
  command -v "$bin" >/dev/null || { echo "missing $bin: apt-get install wordpress mariadb-server php-mysql php-cli" >&2; exit 2; }
done
[[ -d /usr/share/wordpress ]] || { echo "missing /usr/share/wordpress: apt-get install wordpress" >&2; exit 2; }

free_port() { php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];'; }
port=$(free_port)
url="http://127.0.0.1:$port"

# 1. A private database server on a socket in DIR (mariadbd refuses root unless told which user to be).
user=$(id -un)
mariadb-install-db --no-defaults --datadir="$dir/db" --auth-root-authentication-method=normal --user="$user" >"$dir/db-install.log" 2>&1
mariadbd --no-defaults --datadir="$dir/db" --socket="$dir/db.sock" --skip-networking --user="$user" \
  --pid-file="$dir/mariadbd.pid" >"$dir/db.log" 2>&1 &
echo $! >"$dir/db.pid"
for _ in $(seq 1 100); do [[ -S $dir/db.sock ]] && break; sleep 0.1; done
mariadb --no-defaults --socket="$dir/db.sock" -uroot -e "CREATE DATABASE wordpress; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wordpress.* TO 'wp'@'localhost';"

# 2. A copy of Debian's WordPress with its own wp-config.php (Debian's reads /etc/wordpress, which we leave alone).
rm -rf "$dir/site"; cp -a /usr/share/wordpress "$dir/site"
cp -a /var/lib/wordpress/wp-content/. "$dir/site/wp-content/" 2>/dev/null || true
cat >"$dir/site/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wordpress'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:$dir/db.sock'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HOME', '$url'); define('WP_SITEURL', '$url');
define('AUTH_KEY', 'k1'); define('SECURE_AUTH_KEY', 'k2'); define('LOGGED_IN_KEY', 'k3'); define('NONCE_KEY', 'k4');
define('AUTH_SALT', 's1'); define('SECURE_AUTH_SALT', 's2'); define('LOGGED_IN_SALT', 's3'); define('NONCE_SALT', 's4');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP
# php -S has no rewrite rules: the router sends every path that is not a file to index.php (pretty /wp-json/ URLs).
cat >"$dir/site/router.php" <<'PHP'
<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . $path)) return false;
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
PHP
# A PHP runner inside WordPress, for set-up and for checks.
cat >"$dir/wp.php" <<PHP
<?php
\$_SERVER['HTTP_HOST'] = '127.0.0.1:$port'; \$_SERVER['REQUEST_URI'] = '/'; \$_SERVER['SERVER_NAME'] = '127.0.0.1';
if (!empty(\$argv[2])) define('WP_INSTALLING', true);
require '$dir/site/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
eval(\$argv[1]);
PHP

# 3. Install, an Editor with an application password, a post and a page with comments (one held).
php "$dir/wp.php" "wp_install('Real test site', 'admin', 'admin@example.com', true, '', 'admin-password-123'); update_option('permalink_structure', '/%postname%/');" installing >/dev/null
out=$(php "$dir/wp.php" '
  $editor = wp_insert_user(["user_login" => "moderation-bot", "user_pass" => wp_generate_password(24), "role" => "editor", "user_email" => "bot@example.com"]);
  [$password] = WP_Application_Passwords::create_new_application_password($editor, ["name" => "moderation"]);
  $post = wp_insert_post(["post_title" => "The council votes on the new bike lanes", "post_status" => "publish",
    "post_content" => "The city council votes on Tuesday on forty new kilometres of protected bike lanes along Route 9. Shop owners worry about parking; cyclists say the lanes are overdue."]);
  $page = wp_insert_post(["post_type" => "page", "post_title" => "About our comment policy", "post_status" => "publish",
    "post_content" => "Comments are moderated. Stay on topic and be kind to each other."]);
  $say = function ($on, $author, $text, $approved = 1, $parent = 0) {
    return wp_insert_comment(["comment_post_ID" => $on, "comment_author" => $author, "comment_author_email" => strtolower($author) . "@example.com",
      "comment_content" => $text, "comment_approved" => $approved, "comment_parent" => $parent]); };
  $first = $say($post, "Dana", "Finally. Route 9 is terrifying on a bike and protected lanes are the only thing that will get my kids cycling to school.");
  $say($post, "Lee", "Shop owners on Route 9 will lose their parking and nobody on the council has asked them.", 1, $first);
  $held = $say($post, "Sam", "Cheap watches here, best prices: <a href=\"http://cheap-watches.example/deals\">my store</a>", 0);
  $say($page, "Robin", "Does the policy apply to replies as well as to top-level comments?");
  echo "WP_APP_PASSWORD=\"$password\"\nWP_POST=$post\nWP_PAGE=$page\nWP_HELD=$held\n";')
{ echo "WP_URL=$url"; echo "WP_USER=moderation-bot"; echo "$out"; } >"$dir/env"

# Several PHP workers: the connector's reads and write-backs may overlap.
(cd "$dir/site" && PHP_CLI_SERVER_WORKERS=4 exec php -S "127.0.0.1:$port" router.php >"$dir/php.log" 2>&1) &
echo $! >"$dir/php.pid"
for _ in $(seq 1 100); do curl -fsS "$url/wp-json/wp/v2/posts" >/dev/null 2>&1 && break; sleep 0.1; done
cat "$dir/env"
