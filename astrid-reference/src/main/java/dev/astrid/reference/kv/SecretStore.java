package dev.astrid.reference.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Capsule secrets, in their own SQLite file so that no KV operation (list, clear) can reach them.
 * Values go in and never come back out through a host function; only their presence does.
 */
public final class SecretStore implements AutoCloseable {
    private final SqliteFile sqlite;

    private SecretStore(SqliteFile sqlite) {
        this.sqlite = sqlite;
    }

    /** Opens (creating if needed) the secret store in a file; every write is fsynced. */
    public static SecretStore open(Path file) {
        return new SecretStore(SqliteFile.open(file, true,
                "CREATE TABLE IF NOT EXISTS secret(capsule TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, PRIMARY KEY(capsule, k)) WITHOUT ROWID"));
    }

    /** Whether a capsule has a secret under a key. */
    public synchronized boolean has(String capsule, String key) {
        try (PreparedStatement ps = sqlite.connection().prepareStatement("SELECT 1 FROM secret WHERE capsule = ? AND k = ?")) {
            ps.setString(1, capsule);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new KvException("secret lookup failed: " + e.getMessage(), e);
        }
    }

    /** Stores (or replaces) a capsule's secret. */
    public synchronized void set(String capsule, String key, byte[] value) {
        try (PreparedStatement ps = sqlite.connection().prepareStatement(
                "INSERT INTO secret(capsule, k, v) VALUES(?, ?, ?) ON CONFLICT(capsule, k) DO UPDATE SET v = excluded.v")) {
            ps.setString(1, capsule);
            ps.setString(2, key);
            ps.setBytes(3, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new KvException("secret write failed: " + e.getMessage(), e);
        }
    }

    /** The value of a secret, for host-side use only (never handed to a guest); null when unset. */
    public synchronized byte[] get(String capsule, String key) {
        try (PreparedStatement ps = sqlite.connection().prepareStatement("SELECT v FROM secret WHERE capsule = ? AND k = ?")) {
            ps.setString(1, capsule);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw new KvException("secret read failed: " + e.getMessage(), e);
        }
    }

    /** Checks a secret key: non-empty, no ':'; returns the reason it is invalid, or null. */
    public static String invalidKey(String key) {
        if (key.isEmpty()) {
            return "secret key must not be empty";
        }
        if (key.indexOf(':') >= 0) {
            return "secret key must not contain ':'";
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > 256) {
            return "secret key must be at most 256 bytes";
        }
        return null;
    }

    @Override
    public synchronized void close() {
        sqlite.close();
    }
}
