package dev.astrid.host.redis;

import dev.astrid.host.tck.RedisServer;

/** Settings for the test server. */
final class TestRedis {
    private TestRedis() {}

    /** Settings for a server under a prefix of their own, so tests on one server never see each other's keys. */
    static RedisSettings settings(RedisServer redis) {
        return new RedisSettings(redis.url(), 2000, RedisServer.uniquePrefix());
    }
}
