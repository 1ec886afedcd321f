package dev.astrid.host.redis;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.tck.RedisServer;
import dev.astrid.host.tck.IpcProviderContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Redis IPC provider against the IPC contract, on a real redis-server (each test on a channel of its own). */
class RedisIpcProviderCompatibilityTest extends IpcProviderContract {
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
        return new RedisIpcProvider(TestRedis.settings(redis));
    }
}
