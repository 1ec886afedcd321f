package dev.astrid.host.spi.services;

import java.util.Optional;

/**
 * Secret values kept for capsules, apart from their KV data. A value is owned by a capsule's
 * {@link dev.astrid.host.spi.CapsuleContext#stateNamespace() state namespace}; families store and
 * test values but never hand one to a guest.
 *
 * <p>Implementations are safe for concurrent use. The host closes the store it opened when it stops.
 */
public interface SecretStore extends AutoCloseable {

    /** Whether {@code owner} has a secret named {@code key}. */
    boolean has(String owner, String key);

    /**
     * Stores (or replaces) a secret.
     *
     * @throws SecretStoreException when the value cannot be stored
     */
    void put(String owner, String key, byte[] value);

    /** The secret's value, for the host and the embedding application; never for a guest. */
    Optional<byte[]> get(String owner, String key);

    /** Removes a secret; whether there was one. */
    boolean delete(String owner, String key);

    /** Releases what the store holds. */
    @Override
    default void close() {}

    /**
     * Why a secret name is refused, or null when it is valid: a name is non-empty, at most
     * {@value #MAX_KEY_BYTES} bytes of UTF-8, and holds no {@code ':'} (the host keeps its own
     * prefixes apart from capsule names with it) and no control character.
     */
    static String invalidKey(String key) {
        if (key == null || key.isEmpty()) {
            return "secret key must not be empty";
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "secret key must be at most " + MAX_KEY_BYTES + " bytes";
        }
        if (key.indexOf(':') >= 0) {
            return "secret key must not contain ':'";
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return "secret key must not contain control characters";
        }
        return null;
    }

    /** The longest secret name, in bytes of UTF-8. */
    int MAX_KEY_BYTES = 256;

    /** No store: nothing is set, and storing fails with a message that says how to install one. */
    SecretStore NONE = new SecretStore() {
        @Override
        public boolean has(String owner, String key) {
            return false;
        }

        @Override
        public void put(String owner, String key, byte[] value) {
            throw new SecretStoreException("no secret store is installed on this host");
        }

        @Override
        public Optional<byte[]> get(String owner, String key) {
            return Optional.empty();
        }

        @Override
        public boolean delete(String owner, String key) {
            return false;
        }
    };
}
