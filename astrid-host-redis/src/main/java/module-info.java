/**
 * The KV and IPC families on Redis: backends of the families' own dispatches (the KV family's
 * {@code KvDispatch} over a {@code KvStorage}, the IPC family's bus over a {@code BusTransport}),
 * so several hosts share the KV namespaces and the event bus through one Redis server. Selected
 * with {@code --provider kv=redis --provider ipc=redis}; see {@code docs/families/redis.md}.
 *
 * <p>Jedis is an automatic module ({@code redis.clients.jedis}); it stays an implementation detail.
 */
module dev.astrid.host.redis {
    requires transitive dev.astrid.host.spi;
    requires dev.astrid.sys.abi;
    // Transitive: the exported storage and transport implement the families' interfaces.
    requires transitive dev.astrid.host.kv;
    requires transitive dev.astrid.host.ipc;
    requires redis.clients.jedis;
    // Jedis's pool (configured here); an explicit module, which the automatic Jedis module cannot require itself.
    requires org.apache.commons.pool2;

    exports dev.astrid.host.redis;

    provides dev.astrid.host.spi.HostProvider with
            dev.astrid.host.redis.RedisKvProvider,
            dev.astrid.host.redis.RedisIpcProvider;
}
