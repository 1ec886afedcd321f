package dev.astrid.host.identity;

import dev.astrid.host.spi.SqliteSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite connection shared by every caller, behind a lock. Identity calls are rare and short,
 * so a single connection is simpler than a pool and serializes writers inside this JVM; the busy
 * timeout covers another process (or another host) holding the same file.
 */
final class Database implements AutoCloseable {
    /** How long a writer waits for a lock held by another connection to the same file. */
    static final int BUSY_TIMEOUT_MS = SqliteSettings.BUSY_TIMEOUT_MS;

    /** Work done on the connection while the lock is held. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Path file;
    private Connection connection; // guarded by lock; null once closed

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database file, switches it to WAL and brings the schema up
     * to date.
     */
    static Database open(Path file, Clock clock) {
        Path absolute = file.toAbsolutePath().normalize();
        createParent(absolute);
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + absolute.toUri());
        } catch (SQLException e) {
            throw new IdentityStorageException("cannot open " + absolute + ": " + e.getMessage(), e);
        }
        try {
            // FULL: in WAL mode, NORMAL may lose the last commits on power loss; a link the guest
            // was told about must survive that, and identity writes are too rare for the fsync to matter.
            SqliteSettings.apply(c, true);
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IdentityStorageException("cannot open " + absolute + ": " + e.getMessage(), e);
        }
        Database db = new Database(absolute, c);
        try {
            db.write(conn -> {
                Schema.migrate(conn, clock);
                return null;
            });
        } catch (IdentityException e) {
            db.close();
            throw new IdentityStorageException("cannot open " + absolute + ": " + e.getMessage(), e);
        }
        return db;
    }

    private static void createParent(Path file) {
        Path parent = file.getParent();
        if (parent == null) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IdentityStorageException("cannot create directory " + parent + ": " + e, e);
        }
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /** Runs read-only work in autocommit mode. */
    <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(open());
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs work in one {@code BEGIN IMMEDIATE} transaction: all of it is committed, or none of it.
     * IMMEDIATE takes the write lock up front, so two hosts on one file never deadlock on an
     * upgrade from a read lock.
     */
    <T> T write(Work<T> work) {
        lock.lock();
        try {
            Connection c = open();
            execute(c, "BEGIN IMMEDIATE");
            try {
                T result = work.run(c);
                execute(c, "COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            lock.unlock();
        }
    }

    private Connection open() {
        if (connection == null) {
            throw new IdentityStorageException("identity store is closed");
        }
        return connection;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            // Usually "no transaction is active": SQLite already rolled back after the failure.
            cause.addSuppressed(e);
        }
    }

    private static IdentityStorageException storageError(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IdentityStorageException(message, e);
    }

    /** Closes the connection; later calls fail with "identity store is closed". Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            throw storageError(e);
        } finally {
            connection = null;
            lock.unlock();
        }
    }
}
