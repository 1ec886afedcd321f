package dev.astrid.benchmarks;

import dev.astrid.host.ipc.IpcProvider;
import dev.astrid.host.kv.KvProvider;
import dev.astrid.host.redis.RedisIpcProvider;
import dev.astrid.host.redis.RedisKvProvider;
import dev.astrid.host.redis.RedisSettings;
import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.tck.RedisServer;
import dev.astrid.host.tck.TestCapsule;
import dev.astrid.sys.abi.IpcFunctions;
import dev.astrid.sys.abi.KvFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one call on the Redis backends beside the local ones, through the family bindings a
 * guest's calls reach (the guest boundary is {@link KvRoundTripBenchmark}'s subject):
 * <ul>
 *   <li>{@code kvGet}: one {@code astrid_kv_get} of a stored 32-byte value; {@code local} is the
 *       SQLite provider (served from its read cache), {@code redis} one {@code HGET} on a
 *       {@code redis-server} on loopback;
 *   <li>{@code publishReceive}: capsule A publishes one message and capsule B, subscribed, takes it
 *       with {@code astrid_ipc_recv}: one message's trip per operation. {@code local}: both on one
 *       host's bus; {@code redis}: A and B on two hosts (two providers) joined by Redis Pub/Sub.
 * </ul>
 * The benchmark starts its own {@code redis-server} (appendonly yes, appendfsync everysec) on a
 * free loopback port, so {@code redis-server} must be installed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class RedisBackendBenchmark {
    static final String TOPIC = "bench.ping";

    /** {@code local}: the built-in providers; {@code redis}: the astrid-host-redis ones. */
    @Param({"local", "redis"})
    public String backend;

    private Path dir;
    private Path redisDir;
    private RedisServer redis;
    private HostProvider kvProvider;
    private HostProvider publisherHost;
    private HostProvider subscriberHost;
    private KvFunctions kv;
    private IpcFunctions publisher;
    private IpcFunctions subscriber;
    private byte[] handle;
    private final byte[] key = "bench-key".getBytes(StandardCharsets.UTF_8);
    private final byte[] topic = TOPIC.getBytes(StandardCharsets.UTF_8);
    private final byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    private final byte[] timeoutMs = "1000".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void setUp() {
        dir = TempDirs.create("astrid-bench-redis");
        switch (backend) {
            case "local":
                kvProvider = new KvProvider();
                publisherHost = new IpcProvider();
                subscriberHost = publisherHost;
                break;
            case "redis":
                redisDir = TempDirs.create("astrid-bench-redis-server");
                redis = RedisServer.start(redisDir);
                RedisSettings settings = new RedisSettings(redis.url(), RedisSettings.DEFAULT_TIMEOUT_MS, "bench");
                kvProvider = new RedisKvProvider(settings);
                publisherHost = new RedisIpcProvider(settings);
                subscriberHost = new RedisIpcProvider(settings);
                break;
            default:
                throw new IllegalArgumentException("backend must be local or redis, got " + backend);
        }
        TestCapsule.Host capsules = new TestCapsule.Host(dir);
        kv = (KvFunctions) kvProvider.bind(capsules.capsule("bench-kv").build());
        byte[] value = new byte[32];
        Arrays.fill(value, (byte) 7);
        kv.kvSet(key, value);
        publisher = (IpcFunctions) publisherHost.bind(capsules.capsule("bench-publisher")
                .capabilities(Capabilities.builder().ipcPublish(TOPIC).build()).build());
        subscriber = (IpcFunctions) subscriberHost.bind(capsules.capsule("bench-subscriber")
                .capabilities(Capabilities.builder().ipcSubscribe(TOPIC).build()).build());
        handle = subscriber.ipcSubscribe(topic);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kvProvider.close();
        publisherHost.close();
        subscriberHost.close();
        if (redis != null) {
            redis.close();
            TempDirs.delete(redisDir);
        }
        TempDirs.delete(dir);
    }

    /** One read of a stored 32-byte value. */
    @Benchmark
    public byte[] kvGet() {
        byte[] v = kv.kvGet(key);
        if (v.length != 32) {
            throw new IllegalStateException("expected the 32-byte value, got " + v.length + " bytes");
        }
        return v;
    }

    /** One message published by A and received by B. */
    @Benchmark
    public byte[] publishReceive() {
        publisher.ipcPublish(topic, payload);
        byte[] env = subscriber.ipcRecv(handle, timeoutMs);
        if (Envelopes.count(env) != 1 || Envelopes.lagged(env) != 0) {
            throw new IllegalStateException("expected the one message: " + Envelopes.text(env));
        }
        return env;
    }
}
