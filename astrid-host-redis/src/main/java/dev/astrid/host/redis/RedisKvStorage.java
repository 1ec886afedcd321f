package dev.astrid.host.redis;

import dev.astrid.host.kv.KvException;
import dev.astrid.host.kv.KvStorage;
import dev.astrid.host.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ZRangeParams;

/**
 * KV storage on Redis. A namespace {@code ns} is three Redis keys that share the hash tag
 * {@code {ns}} (so they stay on one node of a cluster too): {@code <prefix>:{ns}:v}, a hash from key
 * to value; {@code <prefix>:{ns}:k}, a sorted set of the keys, all with score 0, which Redis orders
 * bytewise (listing is a {@code ZRANGE BYLEX} range, O(log n + m)); and {@code <prefix>:{ns}:u},
 * the usage hash ({@code keys}, {@code bytes} of keys plus values). Every write is one Lua script,
 * so value, index, usage and the quota check change atomically, whichever host writes.
 */
public final class RedisKvStorage implements KvStorage {
    /** Keys listed per round trip. */
    private static final int PAGE = 1000;

    // Returns {0,0} when written, {1,keys} over the key quota, {2,bytesAfter} over the byte quota.
    private static final byte[] SET = script(
            "local exists = redis.call('HEXISTS', KEYS[1], ARGV[1])\n"
            + "local keys = tonumber(redis.call('HGET', KEYS[3], 'keys') or '0')\n"
            + "local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')\n"
            + "local old = 0\n"
            + "if exists == 1 then old = #ARGV[1] + redis.call('HSTRLEN', KEYS[1], ARGV[1]) end\n"
            + "if exists == 0 and keys + 1 > tonumber(ARGV[3]) then return {1, keys} end\n"
            + "local after = bytes - old + #ARGV[1] + #ARGV[2]\n"
            + "if after > tonumber(ARGV[4]) and after > bytes then return {2, after} end\n"
            + "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
            + "redis.call('ZADD', KEYS[2], 0, ARGV[1])\n"
            + "if exists == 0 then redis.call('HINCRBY', KEYS[3], 'keys', 1) end\n"
            + "redis.call('HINCRBY', KEYS[3], 'bytes', after - bytes)\n"
            + "return {0, 0}\n");

    private static final byte[] DELETE = script(
            "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end\n"
            + "local size = #ARGV[1] + redis.call('HSTRLEN', KEYS[1], ARGV[1])\n"
            + "redis.call('HDEL', KEYS[1], ARGV[1])\n"
            + "redis.call('ZREM', KEYS[2], ARGV[1])\n"
            + "redis.call('HINCRBY', KEYS[3], 'keys', -1)\n"
            + "redis.call('HINCRBY', KEYS[3], 'bytes', -size)\n"
            + "return 1\n");

    // ARGV[1] is the range start ("[prefix"), ARGV[2] its end ("(upper bound" or "+").
    private static final byte[] CLEAR = script(
            "local ks = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], ARGV[2])\n"
            + "local size = 0\n"
            + "for _, k in ipairs(ks) do\n"
            + "  size = size + #k + redis.call('HSTRLEN', KEYS[1], k)\n"
            + "  redis.call('HDEL', KEYS[1], k)\n"
            + "  redis.call('ZREM', KEYS[2], k)\n"
            + "end\n"
            + "if #ks > 0 then\n"
            + "  redis.call('HINCRBY', KEYS[3], 'keys', -#ks)\n"
            + "  redis.call('HINCRBY', KEYS[3], 'bytes', -size)\n"
            + "end\n"
            + "return #ks\n");

    private final RedisClient redis;
    private final RedisSettings settings;
    private final KvStore.Limits limits;

    /** Storage on a server with the quota of {@code limits} ({@code cacheBytes} does not apply: there is no local cache). */
    public RedisKvStorage(RedisSettings settings, KvStore.Limits limits) {
        this.settings = settings;
        this.limits = limits;
        this.redis = settings.client();
    }

    private static byte[] script(String lua) {
        return lua.getBytes(StandardCharsets.US_ASCII);
    }

    private List<byte[]> keys(String ns) {
        String tag = "{" + ns + "}:";
        return List.of(settings.key(tag + "v"), settings.key(tag + "k"), settings.key(tag + "u"));
    }

    @Override
    public byte[] get(String ns, byte[] key) {
        return call("read", () -> redis.hget(keys(ns).get(0), key));
    }

    @Override
    public void set(String ns, byte[] key, byte[] value) {
        List<?> r = (List<?>) call("write", () -> redis.eval(SET, keys(ns), List.of(key, value,
                ascii(limits.maxKeys()), ascii(limits.maxBytes()))));
        long code = (Long) r.get(0);
        long figure = (Long) r.get(1);
        if (code == 1) {
            throw KvStorage.keysOverQuota(figure, limits.maxKeys());
        }
        if (code == 2) {
            throw KvStorage.bytesOverQuota(figure, limits.maxBytes());
        }
    }

    @Override
    public void delete(String ns, byte[] key) {
        call("delete", () -> redis.eval(DELETE, keys(ns), List.of(key)));
    }

    @Override
    public void scanKeys(String ns, byte[] prefix, Consumer<byte[]> visitor) {
        byte[] index = keys(ns).get(1);
        byte[] end = end(prefix);
        byte[] from = inclusive(prefix);
        while (true) {
            byte[] start = from;
            List<byte[]> page = call("list", () -> redis.zrange(index, new ZRangeParams(Protocol.Keyword.BYLEX, start, end).limit(0, PAGE)));
            for (byte[] k : page) {
                visitor.accept(k);
            }
            if (page.size() < PAGE) {
                return;
            }
            from = exclusive(page.get(page.size() - 1));
        }
    }

    @Override
    public int clearPrefix(String ns, byte[] prefix) {
        Long n = (Long) call("clear", () -> redis.eval(CLEAR, keys(ns), List.of(inclusive(prefix), end(prefix))));
        return n.intValue();
    }

    @Override
    public long[] usage(String ns) {
        List<byte[]> u = call("usage lookup", () -> redis.hmget(keys(ns).get(2), ascii("keys"), ascii("bytes")));
        return new long[] {number(u.get(0)), number(u.get(1))};
    }

    @Override
    public void close() {
        redis.close();
    }

    private static long number(byte[] b) {
        return b == null ? 0 : Long.parseLong(new String(b, StandardCharsets.US_ASCII));
    }

    private static byte[] ascii(Object o) {
        return String.valueOf(o).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] inclusive(byte[] prefix) {
        return marked('[', prefix);
    }

    private static byte[] exclusive(byte[] key) {
        return marked('(', key);
    }

    private static byte[] marked(char mark, byte[] bytes) {
        byte[] out = new byte[bytes.length + 1];
        out[0] = (byte) mark;
        System.arraycopy(bytes, 0, out, 1, bytes.length);
        return out;
    }

    /** The end of a prefix's range: before the prefix's upper bound, or the end of the set when it has none. */
    private static byte[] end(byte[] prefix) {
        byte[] upper = Arrays.copyOf(prefix, prefix.length);
        for (int i = upper.length - 1; i >= 0; i--) {
            if (upper[i] != (byte) 0xff) {
                upper[i]++;
                return exclusive(Arrays.copyOf(upper, i + 1));
            }
        }
        return new byte[] {'+'};
    }

    private <T> T call(String what, java.util.function.Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new KvException(what + " failed on Redis at " + settings.where() + ": " + RedisErrors.reason(e), e);
        }
    }
}
