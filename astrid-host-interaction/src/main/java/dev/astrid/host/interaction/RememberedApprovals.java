package dev.astrid.host.interaction;

import dev.astrid.host.spi.SqliteSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decisions a person asked the host to remember ({@code approve_always}), in an SQLite file of
 * the data directory ({@code approvals.db}). A decision covers one capsule (by its state namespace),
 * one action and one resource, exactly. Every look-up reads the file, so a decision revoked by
 * {@code astrid approvals revoke} while a host runs takes effect at the next request.
 */
public final class RememberedApprovals implements AutoCloseable {
    /** The file name inside the data directory. */
    public static final String FILE_NAME = "approvals.db";

    private final Path file;
    private final Connection db;

    private RememberedApprovals(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** One remembered decision. */
    public record Entry(String owner, String action, String resource, Instant decidedAt) {}

    /**
     * Opens (creating if needed) the file of a data directory.
     *
     * @throws IllegalStateException naming the file when it cannot be opened
     */
    public static RememberedApprovals open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Connection db = null;
        try {
            Files.createDirectories(dataDir);
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteSettings.apply(db, true);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS remembered_approval (owner TEXT NOT NULL, action TEXT NOT NULL, "
                        + "resource TEXT NOT NULL, decided_at TEXT NOT NULL, PRIMARY KEY (owner, action, resource))");
            }
            return new RememberedApprovals(file, db);
        } catch (SQLException | IOException e) {
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException ignored) {
                    // the open failed already; that is the error to report
                }
            }
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Whether a decision for exactly this owner, action and resource is remembered. */
    public synchronized boolean allows(String owner, String action, String resource) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT 1 FROM remembered_approval WHERE owner = ? AND action = ? AND resource = ?")) {
            ps.setString(1, owner);
            ps.setString(2, action);
            ps.setString(3, resource);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Remembers a decision (again, with a new time, if it was). */
    public synchronized void remember(String owner, String action, String resource, Instant when) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO remembered_approval(owner, action, resource, decided_at) "
                + "VALUES(?, ?, ?, ?) ON CONFLICT(owner, action, resource) DO UPDATE SET decided_at = excluded.decided_at")) {
            ps.setString(1, owner);
            ps.setString(2, action);
            ps.setString(3, resource);
            ps.setString(4, when.toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The remembered decisions of one owner, or of all when empty, ordered by owner, action, resource. */
    public synchronized List<Entry> list(Optional<String> owner) {
        String sql = "SELECT owner, action, resource, decided_at FROM remembered_approval"
                + (owner.isPresent() ? " WHERE owner = ?" : "") + " ORDER BY owner, action, resource";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (owner.isPresent()) {
                ps.setString(1, owner.get());
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), Instant.parse(rs.getString(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forgets decisions of an owner: all of them, or those of one action, or of one action and
     * resource. Returns how many were forgotten.
     */
    public synchronized int revoke(String owner, Optional<String> action, Optional<String> resource) {
        if (resource.isPresent() && action.isEmpty()) {
            throw new IllegalArgumentException("a resource can only be revoked together with its action");
        }
        String sql = "DELETE FROM remembered_approval WHERE owner = ?" + (action.isPresent() ? " AND action = ?" : "")
                + (resource.isPresent() ? " AND resource = ?" : "");
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, owner);
            if (action.isPresent()) {
                ps.setString(2, action.get());
            }
            if (resource.isPresent()) {
                ps.setString(3, resource.get());
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
