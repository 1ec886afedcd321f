package dev.astrid.host.identity;

import dev.astrid.host.identity.json.GuestIdentity;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.IdentityFunctions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in provider of the identity family: the five {@code astrid_identity_*} functions over
 * an {@link IdentityStore} shared by every capsule of the host.
 *
 * <p>The database is opened on the first {@link #bind} (so a host that never loads a capsule never
 * creates it) at {@code <host data dir>/identity.db}, or at the path of the provider setting
 * {@value #DB_PATH_SETTING} (a relative path is taken from the host data directory). Opening also
 * makes sure the bootstrap user exists ({@link IdentityStore#ensureBootstrapUser()}).
 */
public final class IdentityProvider implements FamilyProvider<IdentityFunctions> {
    /** The provider's name in configuration. */
    public static final String NAME = "astrid-host-identity";
    /** The provider setting that moves the database file. */
    public static final String DB_PATH_SETTING = "identity.db-path";
    /** The database file name inside the host data directory, when the setting is absent. */
    public static final String DEFAULT_DB_FILE = "identity.db";

    private static final System.Logger LOG = System.getLogger(IdentityProvider.class.getName());

    private IdentityStore store; // guarded by this; opened by the first bind
    private boolean closed; // guarded by this

    /** A provider; nothing is opened until the first capsule is bound. */
    public IdentityProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TypedFamily<IdentityFunctions> typedFamily() {
        return TypedFamily.IDENTITY;
    }

    /**
     * Serves the identity functions to one capsule, at the identity level its manifest grants.
     *
     * @throws HostException when the database cannot be opened or the provider is closed
     */
    @Override
    public IdentityFunctions bind(CapsuleContext capsule) {
        Objects.requireNonNull(capsule, "capsule");
        return GuestIdentity.bind(sharedStore(capsule), capsule);
    }

    private synchronized IdentityStore sharedStore(CapsuleContext capsule) {
        if (closed) {
            throw new HostException("identity provider is closed");
        }
        if (store == null) {
            Path file = databaseFile(capsule);
            try {
                store = IdentityStore.open(file, capsule.clock());
                AstridUser root = store.ensureBootstrapUser();
                LOG.log(System.Logger.Level.DEBUG, "identity store {0} open; cli/local is user {1}", store.file(),
                        root.id());
            } catch (IdentityException e) {
                if (store != null) {
                    store.close();
                    store = null;
                }
                throw new HostException("identity store: " + e.getMessage(), e);
            }
        }
        return store;
    }

    private static Path databaseFile(CapsuleContext capsule) {
        Optional<String> setting = capsule.settings().get(DB_PATH_SETTING);
        if (setting.isEmpty()) {
            return capsule.hostDataDir().resolve(DEFAULT_DB_FILE);
        }
        String value = setting.get().trim();
        if (value.isEmpty()) {
            throw new HostException("setting " + DB_PATH_SETTING + " must not be empty");
        }
        try {
            return capsule.hostDataDir().resolve(Path.of(value));
        } catch (InvalidPathException e) {
            throw new HostException("setting " + DB_PATH_SETTING + " is not a valid path: " + e.getMessage(), e);
        }
    }

    /** Closes the database; binding afterwards fails, and calls of bound capsules report a storage error. */
    @Override
    public synchronized void close() {
        closed = true;
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
