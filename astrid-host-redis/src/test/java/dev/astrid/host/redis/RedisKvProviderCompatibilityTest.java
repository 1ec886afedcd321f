package dev.astrid.host.redis;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.RedisServer;
import dev.astrid.host.tck.KvProviderContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Redis KV provider against the KV contract, on a real redis-server (each test under a prefix of its own). */
class RedisKvProviderCompatibilityTest extends KvProviderContract {
    @TempDir
    static Path redisDir;
    static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start(redisDir);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected HostProvider createProvider() {
        return new RedisKvProvider(TestRedis.settings(redis));
    }
}
