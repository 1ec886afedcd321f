package dev.astrid.host.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The store as a file: what survives a reopen, and what the file looks like from outside. */
class IdentityDatabaseTest {
    @TempDir
    Path dir;

    private final TickingClock clock = new TickingClock(Instant.parse("2026-03-16T12:34:56.123456789Z"), Duration.ofNanos(1_001));

    @Test
    void everythingSurvivesCloseAndReopen() {
        Path file = dir.resolve("identity.db");
        AstridUser alice;
        AstridUser bob;
        PlatformLink aliceLink;
        PlatformLink bobLink;
        try (IdentityStore store = IdentityStore.open(file, clock)) {
            alice = store.createUser(Optional.of("Alice"));
            bob = store.createUser(Optional.empty());
            aliceLink = store.link("discord", "alice", alice.id(), "oauth");
            bobLink = store.link("slack", "bob", bob.id(), "manual");
            store.link("slack", "gone", bob.id(), "manual");
            store.unlink("slack", "gone");
        }

        try (IdentityStore reopened = IdentityStore.open(file, clock)) {
            assertThat(reopened.user(alice.id())).contains(alice);
            assertThat(reopened.user(bob.id())).contains(bob);
            assertThat(reopened.resolve("discord", "alice")).contains(alice);
            assertThat(reopened.listLinks(alice.id())).containsExactly(aliceLink);
            assertThat(reopened.listLinks(bob.id())).containsExactly(bobLink);
        }
    }

    @Test
    void timestampsKeepTheirFullPrecision() {
        Path file = dir.resolve("identity.db");
        AstridUser user;
        try (IdentityStore store = IdentityStore.open(file, clock)) {
            user = store.createUser(Optional.empty());
        }

        assertThat(user.createdAt().getNano() % 1000).isNotZero();
        try (IdentityStore reopened = IdentityStore.open(file, clock)) {
            assertThat(reopened.user(user.id()).orElseThrow().createdAt()).isEqualTo(user.createdAt());
        }
    }

    @Test
    void theFileIsInWalModeWithAVersionedSchema() throws SQLException {
        Path file = dir.resolve("identity.db");
        IdentityStore.open(file, clock).close();

        try (Connection c = connect(file); Statement s = c.createStatement()) {
            assertThat(single(s, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(s, "SELECT group_concat(version) FROM schema_version")).isEqualTo("1");
            assertThat(single(s, "SELECT applied_at FROM schema_version")).isEqualTo("2026-03-16T12:34:56.123456789+00:00");
            assertThat(single(s, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"))
                    .isEqualTo("links,schema_version,users");
        }
    }

    @Test
    void rowsUseLowercaseUuidsAndRfc3339Text() throws SQLException {
        Path file = dir.resolve("identity.db");
        AstridUser user;
        PlatformLink link;
        try (IdentityStore store = IdentityStore.open(file, clock)) {
            user = store.createUser(Optional.of("A"));
            link = store.link("x", "1", user.id(), "m");
        }

        try (Connection c = connect(file); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT id FROM users")).isEqualTo(user.id().toString())
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            // The clock steps 1001 ns per read: migration, creation, link.
            assertThat(single(s, "SELECT created_at FROM users")).isEqualTo("2026-03-16T12:34:56.123457790+00:00");
            assertThat(single(s, "SELECT linked_at FROM links")).isEqualTo("2026-03-16T12:34:56.123458791+00:00");
            assertThat(single(s, "SELECT user_id FROM links")).isEqualTo(link.userId().toString());
        }
    }

    @Test
    void reopeningDoesNotMigrateTwice() throws SQLException {
        Path file = dir.resolve("identity.db");
        IdentityStore.open(file, clock).close();
        IdentityStore.open(file, clock).close();

        try (Connection c = connect(file); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT count(*) FROM schema_version")).isEqualTo("1");
        }
    }

    @Test
    void aNewerSchemaIsRefused() throws SQLException {
        Path file = dir.resolve("identity.db");
        IdentityStore.open(file, clock).close();
        try (Connection c = connect(file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (2, 'later')");
        }

        assertThatThrownBy(() -> IdentityStore.open(file, clock))
                .isInstanceOf(IdentityStorageException.class)
                .hasMessage("cannot open " + file + ": database schema version 2 is newer than this provider supports (1)");
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws IOException {
        Path file = dir.resolve("identity.db");
        Files.writeString(file, "this is not SQLite, just text long enough to have a header page of sorts.".repeat(20));

        assertThatThrownBy(() -> IdentityStore.open(file, clock))
                .isInstanceOf(IdentityStorageException.class)
                .hasMessageStartingWith("cannot open " + file + ": ")
                .hasMessageContaining("not a database");
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsRefused() throws IOException {
        Path file = Files.createDirectories(dir.resolve("identity.db"));

        assertThatThrownBy(() -> IdentityStore.open(file, clock))
                .isInstanceOf(IdentityStorageException.class)
                .hasMessageStartingWith("cannot open " + file + ": ");
    }

    @Test
    void missingDirectoriesAndOddCharactersInThePathAreFine() {
        Path file = dir.resolve("a b/c?d#e%f é/identity.db");

        try (IdentityStore store = IdentityStore.open(file, clock)) {
            store.createUser(Optional.empty());
            assertThat(store.file()).isEqualTo(file.toAbsolutePath());
        }

        assertThat(file).isRegularFile();
    }

    @Test
    void aHandEditedRowSurfacesAsAStorageError() throws SQLException {
        Path file = dir.resolve("identity.db");
        IdentityStore.open(file, clock).close();
        try (Connection c = connect(file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (id, display_name, created_at) VALUES"
                    + " ('6f1c2e9d-3a4e-4b8c-9d5a-4f3e2d1c0b5f', 'x', 'yesterday')");
        }

        try (IdentityStore store = IdentityStore.open(file, clock)) {
            assertThatThrownBy(() -> store.user(java.util.UUID.fromString("6f1c2e9d-3a4e-4b8c-9d5a-4f3e2d1c0b5f")))
                    .isInstanceOf(IdentityStorageException.class)
                    .hasMessage("malformed timestamp in database: yesterday");
        }
    }

    @Test
    void aLinkToAMissingUserIsRefusedByTheDatabaseItself() throws SQLException {
        Path file = dir.resolve("identity.db");
        IdentityStore.open(file, clock).close();

        try (Connection c = connect(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            assertThatThrownBy(() -> s.execute("INSERT INTO links VALUES ('x', '1', 'nobody', 't', 'm')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");
        }
    }

    @Test
    void theConnectionIsDurableEnforcesReferencesAndWaitsForOtherWriters() {
        try (Database db = Database.open(dir.resolve("identity.db"), clock)) {
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(db, "synchronous")).as("FULL").isEqualTo("2");
            assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(db, "busy_timeout")).isEqualTo(Integer.toString(Database.BUSY_TIMEOUT_MS));
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingBehind() {
        try (Database db = Database.open(dir.resolve("identity.db"), clock)) {
            assertThatThrownBy(() -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO users (id, created_at) VALUES ('6f1c2e9d-3a4e-4b8c-9d5a-4f3e2d1c0b5f', 't')");
                }
                throw new InvalidIdentityException("stop halfway");
            })).isInstanceOf(InvalidIdentityException.class);
            assertThatThrownBy(() -> db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO users (id, created_at) VALUES ('6f1c2e9d-3a4e-4b8c-9d5a-4f3e2d1c0b5f', 't')");
                    s.execute("INSERT INTO no_such_table VALUES (1)");
                }
                return null;
            })).isInstanceOf(IdentityStorageException.class).hasMessageContaining("no such table");

            String users = db.read(c -> {
                try (Statement s = c.createStatement()) {
                    return single(s, "SELECT count(*) FROM users");
                }
            });
            assertThat(users).isEqualTo("0");
        }
    }

    @Test
    void twoStoresOnOneFileSeeEachOthersWrites() {
        Path file = dir.resolve("identity.db");
        try (IdentityStore first = IdentityStore.open(file, clock); IdentityStore second = IdentityStore.open(file, clock)) {
            AstridUser user = first.createUser(Optional.of("Both"));
            second.link("x", "1", user.id(), "m");

            assertThat(first.resolve("x", "1")).contains(user);
        }
    }

    private static String pragma(Database db, String name) {
        return db.read(c -> {
            try (Statement s = c.createStatement()) {
                return single(s, "PRAGMA " + name);
            }
        });
    }

    private static Connection connect(Path file) throws SQLException {
        return new SQLiteConfig().createConnection("jdbc:sqlite:" + file.toUri());
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
