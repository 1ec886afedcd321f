package dev.astrid.reference.kv;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's durable key-value store: one SQLite database in WAL mode, keys and values as blobs,
 * one namespace per capsule.
 *
 * <p>Durability: every write is its own committed transaction before the call returns. With
 * {@code synchronous=NORMAL} (the default) a commit reaches the operating system before it
 * returns, so it survives the host process being killed; {@code synchronous=FULL} also survives
 * power loss at the cost of an fsync per write.
 *
 * <p>Reads go through a bounded write-through cache, which is only correct while this process is
 * the sole writer; {@link SqliteFile} therefore locks the database against other hosts.
 */
public final class KvStore implements AutoCloseable {
    private static final byte[] ABSENT = new byte[0];
    private static final long CACHE_BYTES = 32L * 1024 * 1024;

    private final SqliteFile sqlite;
    private final PreparedStatement get;
    private final PreparedStatement put;
    private final PreparedStatement delete;
    private final PreparedStatement listRange;
    private final PreparedStatement listAll;
    private final PreparedStatement clearRange;
    private final PreparedStatement clearAll;
    private final Cache cache = new Cache();

    private KvStore(SqliteFile sqlite) throws SQLException {
        this.sqlite = sqlite;
        Connection db = sqlite.connection();
        this.get = db.prepareStatement("SELECT v FROM kv WHERE ns = ? AND k = ?");
        this.put = db.prepareStatement("INSERT INTO kv(ns, k, v) VALUES(?, ?, ?) ON CONFLICT(ns, k) DO UPDATE SET v = excluded.v");
        this.delete = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k = ?");
        this.listRange = db.prepareStatement("SELECT k FROM kv WHERE ns = ? AND k >= ? AND k < ? ORDER BY k");
        this.listAll = db.prepareStatement("SELECT k FROM kv WHERE ns = ? AND k >= ? ORDER BY k");
        this.clearRange = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k >= ? AND k < ?");
        this.clearAll = db.prepareStatement("DELETE FROM kv WHERE ns = ? AND k >= ?");
    }

    /**
     * Opens (creating if needed) the store in a file.
     *
     * @param fullSync whether every commit is fsynced ({@code synchronous=FULL})
     * @throws KvException when the file cannot be opened or another host holds it
     */
    public static KvStore open(Path file, boolean fullSync) {
        SqliteFile f = SqliteFile.open(file, fullSync,
                "CREATE TABLE IF NOT EXISTS kv(ns TEXT NOT NULL, k BLOB NOT NULL, v BLOB NOT NULL, PRIMARY KEY(ns, k)) WITHOUT ROWID");
        try {
            return new KvStore(f);
        } catch (SQLException e) {
            f.close();
            throw new KvException("cannot prepare the KV store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return sqlite.file();
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

    /** Stores a value; durable when this returns. */
    public synchronized void set(String ns, byte[] key, byte[] value) {
        try {
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

    /** The keys of a namespace that start with a prefix, sorted bytewise. */
    public synchronized List<byte[]> listKeys(String ns, byte[] prefix) {
        byte[] end = upperBound(prefix);
        PreparedStatement ps = end == null ? listAll : listRange;
        try {
            ps.setString(1, ns);
            ps.setBytes(2, prefix);
            if (end != null) {
                ps.setBytes(3, end);
            }
            List<byte[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
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

    @Override
    public synchronized void close() {
        sqlite.close();
    }

    /** A byte-bounded LRU cache of values (and of known-absent keys). Guarded by the store's lock. */
    private static final class Cache {
        private final LinkedHashMap<Key, byte[]> map = new LinkedHashMap<>(256, 0.75f, true);
        private long bytes;

        byte[] get(String ns, byte[] key) {
            return map.get(new Key(ns, key));
        }

        void put(String ns, byte[] key, byte[] value) {
            Key k = new Key(ns, key.clone());
            byte[] old = map.put(k, value);
            bytes += value.length + key.length - (old == null ? 0 : old.length + key.length);
            while (bytes > CACHE_BYTES && !map.isEmpty()) {
                Map.Entry<Key, byte[]> eldest = map.entrySet().iterator().next();
                bytes -= eldest.getValue().length + eldest.getKey().key.length;
                map.remove(eldest.getKey());
            }
        }

        void remove(String ns, byte[] key) {
            byte[] old = map.remove(new Key(ns, key));
            if (old != null) {
                bytes -= old.length + key.length;
            }
        }

        void clearNamespace(String ns) {
            map.entrySet().removeIf(e -> {
                if (e.getKey().ns.equals(ns)) {
                    bytes -= e.getValue().length + e.getKey().key.length;
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
