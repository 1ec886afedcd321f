package dev.astrid.host.kv;

import dev.astrid.host.spi.SqliteSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One SQLite database file owned by this host: opened in WAL mode with a busy timeout, its schema
 * created, and an exclusive lock on {@code <file>.lock} held for as long as it is open so that two
 * hosts never share (and cache) the same file.
 */
final class SqliteFile implements AutoCloseable {
    private final Path file;
    private final Connection connection;
    private final FileChannel lockChannel;

    private SqliteFile(Path file, Connection connection, FileChannel lockChannel) {
        this.file = file;
        this.connection = connection;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens a database, creating it and running the schema statements.
     *
     * @param fullSync {@code synchronous=FULL} (fsync every commit) instead of {@code NORMAL}
     * @throws KvException when the file cannot be opened or another host holds it
     */
    public static SqliteFile open(Path file, boolean fullSync, String... schema) {
        FileChannel ch = null;
        Connection db = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ch = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new KvException(file + " is in use by another astrid host; give this one its own data directory (HostConfig.Builder.dataDir)");
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteSettings.apply(db, fullSync);
            try (Statement s = db.createStatement()) {
                for (String sql : schema) {
                    s.execute(sql);
                }
            }
            return new SqliteFile(file, db, ch);
        } catch (SQLException | IOException e) {
            closeQuietly(db);
            closeQuietly(ch);
            throw new KvException("cannot open " + file + ": " + e.getMessage(), e);
        } catch (KvException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The open connection; callers serialize their use of it. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        closeQuietly(connection);
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure or at shutdown; nothing useful to add
            }
        }
    }
}
