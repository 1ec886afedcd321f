package dev.astrid.host.identity;

import dev.astrid.host.spi.Rfc3339;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * The database layout and its version. {@code schema_version} has one row per applied version, so
 * a later release can add steps and an older one refuses a file it does not understand.
 */
final class Schema {
    /** The version this code reads and writes. */
    static final int VERSION = 1;

    private static final String[] VERSION_1 = {
        "CREATE TABLE users ("
            + " id TEXT PRIMARY KEY NOT NULL,"          // lowercase hyphenated UUID
            + " display_name TEXT,"                     // NULL when none was given
            + " created_at TEXT NOT NULL)",             // RFC 3339, +00:00
        "CREATE TABLE links ("
            + " platform TEXT NOT NULL,"                // normalized: trimmed, ASCII lowercase
            + " platform_user_id TEXT NOT NULL,"
            + " user_id TEXT NOT NULL REFERENCES users(id),"
            + " linked_at TEXT NOT NULL,"               // RFC 3339, +00:00
            + " method TEXT NOT NULL,"
            + " PRIMARY KEY (platform, platform_user_id)) WITHOUT ROWID",
        "CREATE INDEX links_by_user ON links (user_id)",
    };

    private Schema() {}

    /** Creates or checks the schema; runs inside the caller's write transaction. */
    static void migrate(Connection c, Clock clock) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + " version INTEGER PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)");
            int current = currentVersion(s);
            if (current > VERSION) {
                throw new IdentityStorageException("database schema version " + current
                        + " is newer than this provider supports (" + VERSION + ")");
            }
            if (current < 1) {
                for (String ddl : VERSION_1) {
                    s.execute(ddl);
                }
                recordVersion(c, 1, clock);
            }
        }
    }

    private static int currentVersion(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void recordVersion(Connection c, int version, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, Rfc3339.format(clock.instant(), Rfc3339.Utc.PLUS_00_00));
            ps.executeUpdate();
        }
    }
}
