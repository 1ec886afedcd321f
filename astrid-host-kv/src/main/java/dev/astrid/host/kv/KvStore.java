package dev.astrid.host.kv;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The host's durable key-value store: one SQLite database in WAL mode, keys and values as blobs,
 * one namespace per capsule, each with a quota of keys and bytes.
 *
 * <p>Durability: every write is its own committed transaction before the call returns. With
 * {@code synchronous=NORMAL} (the default) a commit reaches the operating system before it
 * returns, so it survives the host process being killed; {@code synchronous=FULL} also survives
 * power loss at the cost of an fsync per write.
 *
 * <p>Usage per namespace (keys, and bytes of keys plus values) lives in table {@code kv_usage},
 * kept by triggers in the same transaction as every write, so it is exact after a crash too.
 *
 * <p>Reads go through a bounded write-through cache, which is only correct while this process is
 * the sole writer; {@link SqliteFile} therefore locks the database against other hosts.
 */
public final class KvStore implements KvStorage {
    private static final byte[] ABSENT = new byte[0];
    /** Schema version in {@code PRAGMA user_version}: 1 once {@code kv_usage} has been filled. */
    private static final int SCHEMA_VERSION = 1;

    /**
     * The limits of a store.
     *
     * @param maxBytes bytes of keys plus values one namespace may hold
     * @param maxKeys keys one namespace may hold
     * @param cacheBytes heap the read cache may take (0 turns it off); a quarter of it at most for known-absent keys
     */
    public record Limits(long maxBytes, long maxKeys, long cacheBytes) {
        /** 256 MiB and 100 000 keys per namespace, a 32 MiB cache. */
        public static final Limits DEFAULT = new Limits(256L * 1024 * 1024, 100_000, 32L * 1024 * 1024);

        /** Checks the values. */
        public Limits {
            if (maxBytes < 1 || maxKeys < 1 || cacheBytes < 0) {
                throw new IllegalArgumentException("KV limits must be positive (the cache may be 0): " + maxBytes + ", "
                        + maxKeys + ", " + cacheBytes);
            }
        }

        /**
         * The limits configured by {@code kv.max-bytes}, {@code kv.max-keys} and {@code kv.cache-bytes},
         * each defaulting to {@link #DEFAULT}'s.
         *
         * @throws HostException naming the setting when one is out of range
         */
        public static Limits from(ProviderSettings settings) {
            return new Limits(atLeast(settings, "kv.max-bytes", DEFAULT.maxBytes(), 1),
                    atLeast(settings, "kv.max-keys", DEFAULT.maxKeys(), 1),
                    atLeast(settings, "kv.cache-bytes", DEFAULT.cacheBytes(), 0));
        }

        private static long atLeast(ProviderSettings settings, String key, long defaultValue, long min) {
            long v = settings.getLong(key, defaultValue);
            if (v < min) {
                throw new HostException("setting " + key + " must be at least " + min + ", got " + v);
            }
            return v;
        }
    }

    private final SqliteFile sqlite;
    private final Limits limits;
    private final PreparedStatement get;
    private final PreparedStatement sizes;
    private final PreparedStatement put;
    private final PreparedStatement delete;
    private final PreparedStatement listRange;
    private final PreparedStatement listAll;
    private final PreparedStatement clearRange;
    private final PreparedStatement clearAll;
    private final Cache cache;

    private KvStore(SqliteFile sqlite, Limits limits) throws SQLException {
        this.sqlite = sqlite;
        this.limits = limits;
        this.cache = new Cache(limits.cacheBytes());
        Connection db = sqlite.connection();
        this.get = db.prepareStatement("SELECT v FROM kv WHERE ns = ? AND k = ?");
        this.sizes = db.prepareStatement("SELECT (SELECT keys FROM kv_usage WHERE ns = ?1), (SELECT bytes FROM kv_usage WHERE ns = ?1),"
                + " (SELECT length(k) + length(v) FROM kv WHERE ns = ?1 AND k = ?2)");
        this.put = db.prepareStatement("INSERT INTO kv(ns, k, v) VALUES(?, ?, ?) ON CONFLICT(ns, k) DO UPDATE SET v = excluded.v");
        this.delete = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k = ?");
        this.listRange = db.prepareStatement("SELECT k FROM kv WHERE ns = ? AND k >= ? AND k < ? ORDER BY k");
        this.listAll = db.prepareStatement("SELECT k FROM kv WHERE ns = ? AND k >= ? ORDER BY k");
        this.clearRange = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k >= ? AND k < ?");
        this.clearAll = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k >= ?");
    }

    /**
     * Opens (creating if needed) the store in a file with the default limits.
     *
     * @param fullSync whether every commit is fsynced ({@code synchronous=FULL})
     * @throws KvException when the file cannot be opened or another host holds it
     */
    public static KvStore open(Path file, boolean fullSync) {
        return open(file, fullSync, Limits.DEFAULT);
    }

    /**
     * Opens (creating if needed) the store in a file.
     *
     * @param fullSync whether every commit is fsynced ({@code synchronous=FULL})
     * @throws KvException when the file cannot be opened or another host holds it
     */
    public static KvStore open(Path file, boolean fullSync, Limits limits) {
        SqliteFile f = SqliteFile.open(file, fullSync,
                "CREATE TABLE IF NOT EXISTS kv(ns TEXT NOT NULL, k BLOB NOT NULL, v BLOB NOT NULL, PRIMARY KEY(ns, k)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS kv_usage(ns TEXT PRIMARY KEY, keys INTEGER NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID",
                "CREATE TRIGGER IF NOT EXISTS kv_usage_insert AFTER INSERT ON kv BEGIN"
                        + " INSERT OR IGNORE INTO kv_usage(ns, keys, bytes) VALUES(new.ns, 0, 0);"
                        + " UPDATE kv_usage SET keys = keys + 1, bytes = bytes + length(new.k) + length(new.v) WHERE ns = new.ns; END",
                "CREATE TRIGGER IF NOT EXISTS kv_usage_update AFTER UPDATE ON kv BEGIN"
                        + " UPDATE kv_usage SET bytes = bytes - length(old.v) + length(new.v) WHERE ns = new.ns; END",
                "CREATE TRIGGER IF NOT EXISTS kv_usage_delete AFTER DELETE ON kv BEGIN"
                        + " UPDATE kv_usage SET keys = keys - 1, bytes = bytes - length(old.k) - length(old.v) WHERE ns = old.ns; END");
        try {
            countExistingUsage(f.connection());
            return new KvStore(f, limits);
        } catch (SQLException e) {
            f.close();
            throw new KvException("cannot prepare the KV store " + file + ": " + e.getMessage(), e);
        }
    }

    /** A store written before {@code kv_usage} existed gets its usage counted once, in one transaction. */
    private static void countExistingUsage(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version >= SCHEMA_VERSION) {
                return;
            }
            db.setAutoCommit(false);
            try {
                s.execute("DELETE FROM kv_usage");
                s.execute("INSERT INTO kv_usage(ns, keys, bytes) SELECT ns, count(*), sum(length(k) + length(v)) FROM kv GROUP BY ns");
                s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    /** The limits this store enforces. */
    public Limits limits() {
        return limits;
    }

    /** The value of a key, or null when absent. */
    public synchronized byte[] get(String ns, byte[] key) {
        byte[] hit = cache.get(ns, key);
        if (hit != null) {
            return hit == ABSENT ? null : hit;
        }
        try {
            get.setString(1, ns);
            get.setBytes(2, key);
            try (ResultSet rs = get.executeQuery()) {
                byte[] v = rs.next() ? rs.getBytes(1) : null;
                cache.put(ns, key, v == null ? ABSENT : v);
                return v;
            }
        } catch (SQLException e) {
            throw new KvException("read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a value; durable when this returns.
     *
     * @throws KvException when the write would take the namespace over its quota; nothing is written then
     */
    public synchronized void set(String ns, byte[] key, byte[] value) {
        try {
            checkQuota(ns, key, value);
            put.setString(1, ns);
            put.setBytes(2, key);
            put.setBytes(3, value);
            put.executeUpdate();
            cache.put(ns, key, value.clone());
        } catch (SQLException e) {
            cache.remove(ns, key);
            throw new KvException("write failed: " + e.getMessage(), e);
        }
    }

    /** A write may not add a key over {@code maxKeys}, nor grow the namespace over {@code maxBytes}. */
    private void checkQuota(String ns, byte[] key, byte[] value) throws SQLException {
        sizes.setString(1, ns);
        sizes.setBytes(2, key);
        long keys;
        long bytes;
        boolean exists;
        long old;
        try (ResultSet rs = sizes.executeQuery()) {
            rs.next();
            keys = rs.getLong(1);
            bytes = rs.getLong(2);
            old = rs.getLong(3);
            exists = !rs.wasNull();
        }
        if (!exists && keys + 1 > limits.maxKeys()) {
            throw KvStorage.keysOverQuota(keys, limits.maxKeys());
        }
        long after = bytes - old + key.length + value.length;
        if (after > limits.maxBytes() && after > bytes) {
            throw KvStorage.bytesOverQuota(after, limits.maxBytes());
        }
    }

    /** How many keys a namespace holds, and how many bytes of keys plus values. */
    public synchronized long[] usage(String ns) {
        try {
            sizes.setString(1, ns);
            sizes.setBytes(2, new byte[0]);
            try (ResultSet rs = sizes.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            throw new KvException("usage lookup failed: " + e.getMessage(), e);
        }
    }

    /** Deletes a key; absent keys are fine. */
    public synchronized void delete(String ns, byte[] key) {
        try {
            delete.setString(1, ns);
            delete.setBytes(2, key);
            delete.executeUpdate();
            cache.put(ns, key, ABSENT);
        } catch (SQLException e) {
            cache.remove(ns, key);
            throw new KvException("delete failed: " + e.getMessage(), e);
        }
    }

    /**
     * Hands each key of a namespace that starts with a prefix to a visitor, sorted bytewise, one
     * row at a time: the keys are never all in memory. An exception from the visitor ends the scan.
     */
    public synchronized void scanKeys(String ns, byte[] prefix, Consumer<byte[]> visitor) {
        byte[] end = upperBound(prefix);
        PreparedStatement ps = end == null ? listAll : listRange;
        try {
            ps.setString(1, ns);
            ps.setBytes(2, prefix);
            if (end != null) {
                ps.setBytes(3, end);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    visitor.accept(rs.getBytes(1));
                }
            }
        } catch (SQLException e) {
            throw new KvException("list failed: " + e.getMessage(), e);
        }
    }

    /** Deletes every key of a namespace that starts with a prefix, in one transaction; returns how many. */
    public synchronized int clearPrefix(String ns, byte[] prefix) {
        byte[] end = upperBound(prefix);
        PreparedStatement ps = end == null ? clearAll : clearRange;
        try {
            ps.setString(1, ns);
            ps.setBytes(2, prefix);
            if (end != null) {
                ps.setBytes(3, end);
            }
            int n = ps.executeUpdate();
            cache.clearNamespace(ns);
            return n;
        } catch (SQLException e) {
            cache.clearNamespace(ns);
            throw new KvException("clear failed: " + e.getMessage(), e);
        }
    }

    /** The smallest byte string greater than every string with this prefix, or null when none is (empty or all 0xFF). */
    static byte[] upperBound(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** The heap the read cache accounts for now. */
    synchronized long cachedBytes() {
        return cache.values.bytes + cache.absent.bytes;
    }

    @Override
    public synchronized void close() {
        sqlite.close();
    }

    /**
     * The heap one cache entry takes, on a 64-bit JVM with compressed references (the default for
     * heaps under 32 GiB): the LinkedHashMap entry (40 bytes), the {@link Key} (24), about 12 bytes
     * of hash table, and the key and value arrays (16 bytes of header each, padded to 8). The
     * namespace string is shared by every entry of a capsule and the absent marker by all.
     */
    static long entryBytes(byte[] key, byte[] value) {
        return 40 + 24 + 12 + arrayBytes(key.length) + (value == ABSENT ? 0 : arrayBytes(value.length));
    }

    private static long arrayBytes(int length) {
        return 16 + ((length + 7L) & ~7L);
    }

    /**
     * A byte-bounded read cache: values and known-absent keys in two LRU maps, the absent ones
     * limited to a quarter of the bytes so that lookups of missing keys cannot evict every value.
     * Guarded by the store's lock.
     */
    private static final class Cache {
        private final Lru values;
        private final Lru absent;

        Cache(long limit) {
            this.absent = new Lru(limit / 4);
            this.values = new Lru(limit - limit / 4);
        }

        byte[] get(String ns, byte[] key) {
            Key k = new Key(ns, key);
            byte[] v = values.map.get(k);
            if (v != null) {
                return v;
            }
            return absent.map.get(k);
        }

        void put(String ns, byte[] key, byte[] value) {
            Key k = new Key(ns, key.clone());
            if (value == ABSENT) {
                values.remove(k);
                absent.put(k, value);
            } else {
                absent.remove(k);
                values.put(k, value);
            }
        }

        void remove(String ns, byte[] key) {
            Key k = new Key(ns, key);
            values.remove(k);
            absent.remove(k);
        }

        void clearNamespace(String ns) {
            values.clearNamespace(ns);
            absent.clearNamespace(ns);
        }
    }

    /** One LRU map with its own byte budget. */
    private static final class Lru {
        final LinkedHashMap<Key, byte[]> map = new LinkedHashMap<>(256, 0.75f, true);
        final long limit;
        long bytes;

        Lru(long limit) {
            this.limit = limit;
        }

        void put(Key k, byte[] value) {
            remove(k);
            long size = entryBytes(k.key, value);
            if (size > limit) {
                return;
            }
            map.put(k, value);
            bytes += size;
            Iterator<Map.Entry<Key, byte[]>> eldest = map.entrySet().iterator();
            while (bytes > limit) {
                Map.Entry<Key, byte[]> e = eldest.next();
                bytes -= entryBytes(e.getKey().key, e.getValue());
                eldest.remove();
            }
        }

        void remove(Key k) {
            byte[] old = map.remove(k);
            if (old != null) {
                bytes -= entryBytes(k.key, old);
            }
        }

        void clearNamespace(String ns) {
            map.entrySet().removeIf(e -> {
                if (e.getKey().ns.equals(ns)) {
                    bytes -= entryBytes(e.getKey().key, e.getValue());
                    return true;
                }
                return false;
            });
        }
    }

    /** A cache key: namespace and key bytes, compared by content. */
    private static final class Key {
        final String ns;
        final byte[] key;
        private final int hash;

        Key(String ns, byte[] key) {
            this.ns = ns;
            this.key = key;
            this.hash = 31 * ns.hashCode() + Arrays.hashCode(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).ns.equals(ns) && Arrays.equals(((Key) o).key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
