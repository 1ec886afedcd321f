package dev.astrid.host.redis;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where the Redis server is and how long a call may wait for it: {@code redis.url} (default
 * {@value #DEFAULT_URL}; {@code redis://[user:password@]host:port[/db]}), {@code redis.timeout-ms}
 * (connect and reply deadline of every command, default {@value #DEFAULT_TIMEOUT_MS}) and
 * {@code redis.prefix} (first part of every Redis key and channel, default {@value #DEFAULT_PREFIX},
 * so that several deployments can share one server).
 *
 * @param url the server
 * @param timeoutMs the deadline of every command in milliseconds
 * @param prefix the key and channel prefix
 */
public record RedisSettings(URI url, int timeoutMs, String prefix) {
    /** The server when none is configured: a local one on the default port. */
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    /** The command deadline when none is configured. */
    public static final int DEFAULT_TIMEOUT_MS = 2000;
    /** Connections one provider keeps to the server at most (calls beyond wait for one, within the deadline). */
    static final int POOL_SIZE = 32;
    /** The key prefix when none is configured. */
    public static final String DEFAULT_PREFIX = "astrid";

    /**
     * Reads the settings.
     *
     * @throws HostException naming the setting when one is invalid
     */
    public static RedisSettings from(ProviderSettings settings) {
        String text = settings.get("redis.url", DEFAULT_URL);
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new HostException("setting redis.url is not a URL: '" + text + "'");
        }
        if (!JedisURIHelper.isValid(url) || !JedisURIHelper.isRedisScheme(url)) {
            throw new HostException("setting redis.url must look like redis://host:port[/db], got '" + text + "'");
        }
        long timeout = settings.getLong("redis.timeout-ms", DEFAULT_TIMEOUT_MS);
        if (timeout < 1 || timeout > 600_000) {
            throw new HostException("setting redis.timeout-ms must be between 1 and 600000, got " + timeout);
        }
        String prefix = settings.get("redis.prefix", DEFAULT_PREFIX);
        if (prefix.isEmpty() || !prefix.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '{' && c != '}')) {
            throw new HostException("setting redis.prefix must be printable ASCII without spaces or braces, got '" + prefix + "'");
        }
        return new RedisSettings(url, (int) timeout, prefix);
    }

    /** The URL without credentials, for messages. */
    public String where() {
        return url.getHost() + ":" + url.getPort();
    }

    /** A Redis key or channel name under the prefix. */
    byte[] key(String rest) {
        return (prefix + ":" + rest).getBytes(StandardCharsets.UTF_8);
    }

    private JedisClientConfig config(int socketTimeoutMs) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs).socketTimeoutMillis(socketTimeoutMs)
                .clientName("astrid-host").protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false);
        String user = JedisURIHelper.getUser(url);
        String password = JedisURIHelper.getPassword(url);
        if (password != null) {
            b.user(user).password(password);
        }
        if (JedisURIHelper.hasDbIndex(url)) {
            b.database(JedisURIHelper.getDBIndex(url));
        }
        return b.build();
    }

    /**
     * A pooled client whose every command waits at most {@code timeoutMs} for a connection from
     * the pool, to connect and to be answered. Idle connections are checked every second, so that
     * the ones a Redis restart broke are dropped before a call picks them up.
     */
    RedisClient client() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMaxWait(Duration.ofMillis(timeoutMs));
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        pool.setNumTestsPerEvictionRun(-1);
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(url)).clientConfig(config(timeoutMs))
                .poolConfig(pool).build();
    }

    /** One connection that may wait for messages for ever (a subscriber's); connecting is still bounded. */
    Jedis subscriberConnection() {
        HostAndPort at = JedisURIHelper.getHostAndPort(url);
        return new Jedis(at, config(0));
    }
}
