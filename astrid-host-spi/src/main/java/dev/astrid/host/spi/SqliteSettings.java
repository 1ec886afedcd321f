package dev.astrid.host.spi;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one set of SQLite settings the host's stores use, applied to a freshly opened JDBC
 * connection (the SPI does not depend on a driver; each family brings its own):
 * {@code journal_mode=WAL} (refused when the file system cannot do WAL, since the durability
 * argument depends on it), {@code synchronous} {@code NORMAL} or {@code FULL},
 * {@code busy_timeout} of {@value #BUSY_TIMEOUT_MS} ms so two hosts or an admin tool on one file
 * wait for each other instead of failing, and foreign keys on.
 */
public final class SqliteSettings {
    /** How long a statement waits for another connection's lock, in milliseconds. */
    public static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteSettings() {}

    /**
     * Applies the settings.
     *
     * @param connection a connection to an SQLite database, not yet used
     * @param fullSync {@code synchronous=FULL} (fsync every commit, survives power loss) instead of
     *     {@code NORMAL} (survives the process being killed)
     * @throws SQLException when a setting fails or the database cannot use WAL
     */
    public static void apply(Connection connection, boolean fullSync) throws SQLException {
        try (Statement s = connection.createStatement()) {
            String mode;
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                mode = rs.next() ? rs.getString(1) : "";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("the file system does not support WAL mode (journal_mode=" + mode + ")");
            }
            s.execute("PRAGMA synchronous=" + (fullSync ? "FULL" : "NORMAL"));
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA foreign_keys=ON");
        }
    }
}
