<?php
/**
 * Object cache drop-in of the Inception stack (the entrypoint copies it to wp-content/ on every start).
 *
 * With the bonus `redis` service running, WordPress keeps its object cache in Redis through the
 * phpredis extension, so options, posts and queries are cached across requests. Without it (the
 * mandatory stack) the connection fails fast and the cache lives in memory for one request, which is
 * what WordPress does without a drop-in. Keys are "<WP_CACHE_KEY_SALT>:<blog id>:<group>:<key>".
 */

defined('ABSPATH') || exit;

function wp_cache_init()
{
    $GLOBALS['wp_object_cache'] = new WP_Object_Cache();
}

function wp_cache_add($key, $data, $group = '', $expire = 0)
{
    return $GLOBALS['wp_object_cache']->add($key, $data, $group, (int) $expire);
}

function wp_cache_add_multiple(array $data, $group = '', $expire = 0)
{
    $done = [];
    foreach ($data as $key => $value) {
        $done[$key] = wp_cache_add($key, $value, $group, $expire);
    }
    return $done;
}

function wp_cache_replace($key, $data, $group = '', $expire = 0)
{
    return $GLOBALS['wp_object_cache']->replace($key, $data, $group, (int) $expire);
}

function wp_cache_set($key, $data, $group = '', $expire = 0)
{
    return $GLOBALS['wp_object_cache']->set($key, $data, $group, (int) $expire);
}

function wp_cache_set_multiple(array $data, $group = '', $expire = 0)
{
    $done = [];
    foreach ($data as $key => $value) {
        $done[$key] = wp_cache_set($key, $value, $group, $expire);
    }
    return $done;
}

function wp_cache_get($key, $group = '', $force = false, &$found = null)
{
    return $GLOBALS['wp_object_cache']->get($key, $group, $force, $found);
}

function wp_cache_get_multiple($keys, $group = '', $force = false)
{
    $values = [];
    foreach ($keys as $key) {
        $values[$key] = wp_cache_get($key, $group, $force);
    }
    return $values;
}

function wp_cache_delete($key, $group = '')
{
    return $GLOBALS['wp_object_cache']->delete($key, $group);
}

function wp_cache_delete_multiple(array $keys, $group = '')
{
    $done = [];
    foreach ($keys as $key) {
        $done[$key] = wp_cache_delete($key, $group);
    }
    return $done;
}

function wp_cache_incr($key, $offset = 1, $group = '')
{
    return $GLOBALS['wp_object_cache']->incr($key, (int) $offset, $group);
}

function wp_cache_decr($key, $offset = 1, $group = '')
{
    return $GLOBALS['wp_object_cache']->incr($key, -(int) $offset, $group);
}

function wp_cache_flush()
{
    return $GLOBALS['wp_object_cache']->flush();
}

function wp_cache_flush_runtime()
{
    return $GLOBALS['wp_object_cache']->flush_runtime();
}

function wp_cache_supports($feature)
{
    return in_array($feature, ['add_multiple', 'set_multiple', 'get_multiple', 'delete_multiple', 'flush_runtime'], true);
}

function wp_cache_close()
{
    return true;
}

function wp_cache_add_global_groups($groups)
{
    $GLOBALS['wp_object_cache']->add_global_groups($groups);
}

function wp_cache_add_non_persistent_groups($groups)
{
    $GLOBALS['wp_object_cache']->add_non_persistent_groups($groups);
}

function wp_cache_switch_to_blog($blog_id)
{
    $GLOBALS['wp_object_cache']->switch_to_blog((int) $blog_id);
}

function wp_cache_reset()
{
    $GLOBALS['wp_object_cache']->flush_runtime();
}

class WP_Object_Cache
{
    public int $cache_hits = 0;
    public int $cache_misses = 0;

    /** This request's copy of every value read or written, by full key. */
    private array $runtime = [];
    private array $global_groups = [];
    private array $non_persistent_groups = [];
    private ?Redis $redis = null;
    private string $prefix;
    private string $blog_prefix;

    public function __construct()
    {
        $this->prefix = defined('WP_CACHE_KEY_SALT') ? WP_CACHE_KEY_SALT : 'wp';
        $this->blog_prefix = (string) ($GLOBALS['blog_id'] ?? 1);
        if (!class_exists('Redis') || !defined('WP_REDIS_HOST')) {
            return;
        }
        // gethostbyname() gives the name back when the redis service does not exist: no warning then.
        $address = gethostbyname(WP_REDIS_HOST);
        if ($address === WP_REDIS_HOST) {
            return;
        }
        try {
            $redis = new Redis();
            if ($redis->connect($address, 6379, 0.2)) {
                $this->redis = $redis;
            }
        } catch (RedisException $error) {
            // No redis service (the mandatory stack): the cache stays in memory.
        }
    }

    public function add($key, $data, $group, int $expire): bool
    {
        if (wp_suspend_cache_addition()) {
            return false;
        }
        $id = $this->id($key, $group);
        if (array_key_exists($id, $this->runtime)) {
            return false;
        }
        if ($this->persistent($group)) {
            $stored = $this->remote(fn(Redis $r) => $r->set($id, serialize($data), $this->options($expire, 'nx')));
            if ($stored === false) {
                return false;
            }
        }
        $this->runtime[$id] = $this->copy($data);
        return true;
    }

    public function replace($key, $data, $group, int $expire): bool
    {
        $id = $this->id($key, $group);
        if ($this->persistent($group)) {
            $stored = $this->remote(fn(Redis $r) => $r->set($id, serialize($data), $this->options($expire, 'xx')));
            if ($stored === false || ($stored === null && !array_key_exists($id, $this->runtime))) {
                return false;
            }
        } elseif (!array_key_exists($id, $this->runtime)) {
            return false;
        }
        $this->runtime[$id] = $this->copy($data);
        return true;
    }

    public function set($key, $data, $group, int $expire): bool
    {
        $id = $this->id($key, $group);
        $this->runtime[$id] = $this->copy($data);
        if ($this->persistent($group)) {
            $this->remote(fn(Redis $r) => $r->set($id, serialize($data), $this->options($expire, null)));
        }
        return true;
    }

    public function get($key, $group, bool $force = false, &$found = null)
    {
        $id = $this->id($key, $group);
        if (!$force && array_key_exists($id, $this->runtime)) {
            $found = true;
            $this->cache_hits++;
            return $this->copy($this->runtime[$id]);
        }
        $raw = $this->persistent($group) ? $this->remote(fn(Redis $r) => $r->get($id)) : null;
        if (is_string($raw)) {
            $found = true;
            $this->cache_hits++;
            $this->runtime[$id] = unserialize($raw);
            return $this->copy($this->runtime[$id]);
        }
        if ($force || !$this->persistent($group)) {
            unset($this->runtime[$id]);
        }
        $found = false;
        $this->cache_misses++;
        return false;
    }

    public function delete($key, $group): bool
    {
        $id = $this->id($key, $group);
        $existed = array_key_exists($id, $this->runtime);
        unset($this->runtime[$id]);
        if ($this->persistent($group)) {
            $existed = ((int) $this->remote(fn(Redis $r) => $r->del($id))) > 0 || $existed;
        }
        return $existed;
    }

    public function incr($key, int $offset, $group)
    {
        $value = $this->get($key, $group);
        if ($value === false) {
            return false;
        }
        $value = max(0, (is_numeric($value) ? (int) $value : 0) + $offset);
        $this->set($key, $value, $group, 0);
        return $value;
    }

    public function flush(): bool
    {
        $this->runtime = [];
        if ($this->redis !== null) {
            $this->remote(function (Redis $r) {
                $cursor = null;
                do {
                    $keys = $r->scan($cursor, $this->prefix . ':*', 500);
                    if ($keys) {
                        $r->del($keys);
                    }
                } while ($cursor);
                return true;
            });
        }
        return true;
    }

    public function flush_runtime(): bool
    {
        $this->runtime = [];
        return true;
    }

    public function add_global_groups($groups): void
    {
        foreach ((array) $groups as $group) {
            $this->global_groups[$group] = true;
        }
    }

    public function add_non_persistent_groups($groups): void
    {
        foreach ((array) $groups as $group) {
            $this->non_persistent_groups[$group] = true;
        }
    }

    public function switch_to_blog(int $blog_id): void
    {
        $this->blog_prefix = (string) $blog_id;
    }

    /** What the "Site Health" screen and debugging tools show. */
    public function stats(): void
    {
        $backend = $this->redis !== null ? 'Redis at ' . WP_REDIS_HOST : 'memory only (Redis not reachable)';
        echo "<p>Object cache: $backend; hits: {$this->cache_hits}, misses: {$this->cache_misses}</p>";
    }

    private function id($key, $group): string
    {
        $group = ($group === '' || $group === null) ? 'default' : (string) $group;
        $scope = isset($this->global_groups[$group]) ? 'global' : $this->blog_prefix;
        return "{$this->prefix}:{$scope}:{$group}:{$key}";
    }

    private function persistent($group): bool
    {
        $group = ($group === '' || $group === null) ? 'default' : (string) $group;
        return $this->redis !== null && !isset($this->non_persistent_groups[$group]);
    }

    private function options(int $expire, ?string $condition): array
    {
        $options = [];
        if ($condition !== null) {
            $options[] = $condition;
        }
        if ($expire > 0) {
            $options['ex'] = $expire;
        }
        return $options;
    }

    /** Runs one Redis call; if Redis goes away mid-request, the rest of the request uses memory only. */
    private function remote(callable $call)
    {
        try {
            return $call($this->redis);
        } catch (RedisException $error) {
            error_log('object-cache: Redis unavailable, using memory for this request: ' . $error->getMessage());
            $this->redis = null;
            return null;
        }
    }

    /** Objects are cloned so that callers cannot change the cached copy by reference. */
    private function copy($value)
    {
        return is_object($value) ? clone $value : $value;
    }
}
