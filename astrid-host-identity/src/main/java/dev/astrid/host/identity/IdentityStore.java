package dev.astrid.host.identity;

import dev.astrid.host.spi.Rfc3339;
import dev.astrid.host.spi.Uuids;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Astrid users and their platform links, kept durably in one SQLite file.
 *
 * <p>Safe for use by many threads at once. Every method either completes and is on disk when it
 * returns, or throws an {@link IdentityException} and changes nothing:
 * {@link InvalidIdentityException} for input that breaks a rule, {@link UserNotFoundException}
 * for an unknown user id, {@link IdentityStorageException} when the database fails.
 *
 * <p>Rules (those of upstream Astrid): a platform is trimmed and lowercased in ASCII, then it and
 * the platform user id must be non-blank and free of {@code /} and NUL; a method must be
 * non-blank; a display name must not contain {@code /} or NUL; every text is at most
 * {@value #MAX_TEXT_BYTES} bytes of UTF-8.
 */
public final class IdentityStore implements AutoCloseable {
    /** The longest text (platform, platform user id, method, display name) accepted, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 512;
    /** Display name of the bootstrap user, see {@link #ensureBootstrapUser()}. */
    public static final String BOOTSTRAP_DISPLAY_NAME = "root";
    /** Platform of the bootstrap link. */
    public static final String BOOTSTRAP_PLATFORM = "cli";
    /** Platform user id of the bootstrap link. */
    public static final String BOOTSTRAP_PLATFORM_USER_ID = "local";
    /** Method of the bootstrap link. */
    public static final String BOOTSTRAP_METHOD = "system";

    private static final String USER_COLUMNS = "u.id, u.display_name, u.created_at";
    private static final String LINK_COLUMNS = "platform, platform_user_id, user_id, linked_at, method";

    private final Database db;
    private final Clock clock;

    private IdentityStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens (creating if needed) a store in a file, with the system UTC clock. */
    public static IdentityStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /**
     * Opens (creating if needed) a store in a file. Missing parent directories are created.
     *
     * @param clock the source of creation and link times
     * @throws IdentityStorageException when the file cannot be opened as an identity database
     */
    public static IdentityStore open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        return new IdentityStore(Database.open(file, clock), clock);
    }

    /** The database file, absolute. */
    public Path file() {
        return db.file();
    }

    /** Creates a user with a new random id. */
    public AstridUser createUser(Optional<String> displayName) {
        Optional<String> name = Validation.displayName(displayName);
        return db.write(c -> {
            AstridUser user = new AstridUser(UUID.randomUUID(), name, clock.instant());
            insertUser(c, user);
            return user;
        });
    }

    /** The user with an id, if there is one. */
    public Optional<AstridUser> user(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        return db.read(c -> findUser(c, userId));
    }

    /**
     * Links a platform account to a user, replacing any link the account already had.
     *
     * @return the link as stored, with the normalized platform
     * @throws UserNotFoundException when the user does not exist
     */
    public PlatformLink link(String platform, String platformUserId, UUID userId, String method) {
        Objects.requireNonNull(userId, "userId");
        String p = Validation.platform(platform);
        String id = Validation.platformUserId(platformUserId);
        String m = Validation.method(method);
        return db.write(c -> {
            requireUser(c, userId);
            // Timestamped under the lock, so the later of two overwrites carries the later time.
            PlatformLink link = new PlatformLink(p, id, userId, clock.instant(), m);
            upsertLink(c, link);
            return link;
        });
    }

    /** Removes the link of a platform account; answers whether there was one. */
    public boolean unlink(String platform, String platformUserId) {
        String p = Validation.platform(platform);
        String id = Validation.platformUserId(platformUserId);
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM links WHERE platform = ? AND platform_user_id = ?")) {
                ps.setString(1, p);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The user a platform account is linked to, if it is linked. */
    public Optional<AstridUser> resolve(String platform, String platformUserId) {
        String p = Validation.platform(platform);
        String id = Validation.platformUserId(platformUserId);
        return db.read(c -> resolve(c, p, id));
    }

    /**
     * Every link of a user, ordered as upstream orders its keys {@code link/<platform>/<id>}: by
     * the UTF-8 bytes of {@code platform + "/" + platformUserId}.
     *
     * @throws UserNotFoundException when the user does not exist
     */
    public List<PlatformLink> listLinks(UUID userId) {
        Objects.requireNonNull(userId, "userId");
        return db.read(c -> {
            requireUser(c, userId);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + LINK_COLUMNS
                    + " FROM links WHERE user_id = ? ORDER BY platform || '/' || platform_user_id")) {
                ps.setString(1, userId.toString());
                List<PlatformLink> links = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        links.add(new PlatformLink(rs.getString(1), rs.getString(2), uuid(rs.getString(3)),
                                instant(rs.getString(4)), rs.getString(5)));
                    }
                }
                return links;
            }
        });
    }

    /**
     * Makes sure the console has an owner: when {@code cli}/{@code local} is not linked, creates
     * a user named {@code root} and links it there with method {@code system}, as upstream's
     * kernel does at boot. Atomic; does nothing when the link exists.
     *
     * @return the user {@code cli}/{@code local} resolves to
     */
    public AstridUser ensureBootstrapUser() {
        return db.write(c -> {
            Optional<AstridUser> existing = resolve(c, BOOTSTRAP_PLATFORM, BOOTSTRAP_PLATFORM_USER_ID);
            if (existing.isPresent()) {
                return existing.get();
            }
            Instant now = clock.instant();
            AstridUser root = new AstridUser(UUID.randomUUID(), Optional.of(BOOTSTRAP_DISPLAY_NAME), now);
            insertUser(c, root);
            upsertLink(c, new PlatformLink(BOOTSTRAP_PLATFORM, BOOTSTRAP_PLATFORM_USER_ID, root.id(), now,
                    BOOTSTRAP_METHOD));
            return root;
        });
    }

    /** Closes the database. Later calls fail with {@link IdentityStorageException}. Idempotent. */
    @Override
    public void close() {
        db.close();
    }

    private static void insertUser(Connection c, AstridUser user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO users (id, display_name, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, user.id().toString());
            ps.setString(2, user.displayName().orElse(null));
            ps.setString(3, Rfc3339.format(user.createdAt(), Rfc3339.Utc.PLUS_00_00));
            ps.executeUpdate();
        }
    }

    private static void upsertLink(Connection c, PlatformLink link) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO links (" + LINK_COLUMNS + ") VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (platform, platform_user_id) DO UPDATE SET"
                + " user_id = excluded.user_id, linked_at = excluded.linked_at, method = excluded.method")) {
            ps.setString(1, link.platform());
            ps.setString(2, link.platformUserId());
            ps.setString(3, link.userId().toString());
            ps.setString(4, Rfc3339.format(link.linkedAt(), Rfc3339.Utc.PLUS_00_00));
            ps.setString(5, link.method());
            ps.executeUpdate();
        }
    }

    private static void requireUser(Connection c, UUID userId) throws SQLException {
        if (findUser(c, userId).isEmpty()) {
            throw new UserNotFoundException(userId);
        }
    }

    private static Optional<AstridUser> findUser(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?")) {
            ps.setString(1, userId.toString());
            return singleUser(ps);
        }
    }

    private static Optional<AstridUser> resolve(Connection c, String platform, String platformUserId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS
                + " FROM links l JOIN users u ON u.id = l.user_id WHERE l.platform = ? AND l.platform_user_id = ?")) {
            ps.setString(1, platform);
            ps.setString(2, platformUserId);
            return singleUser(ps);
        }
    }

    private static Optional<AstridUser> singleUser(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new AstridUser(uuid(rs.getString(1)), Optional.ofNullable(rs.getString(2)),
                    instant(rs.getString(3))));
        }
    }

    // Rows are written only by this class, but the file is the user's: a hand-edited value must
    // surface as a storage error, not as an IllegalArgumentException from the middle of a call.
    private static UUID uuid(String text) {
        try {
            return Uuids.require(Objects.requireNonNullElse(text, ""));
        } catch (IllegalArgumentException e) {
            throw new IdentityStorageException("malformed user id in database: " + text, e);
        }
    }

    private static Instant instant(String text) {
        try {
            return Rfc3339.parse(Objects.requireNonNullElse(text, ""));
        } catch (DateTimeParseException e) {
            throw new IdentityStorageException("malformed timestamp in database: " + text, e);
        }
    }
}
