package dev.astrid.host.spi;

import java.util.Optional;

/**
 * Implemented by a family binding that stores values a capsule's {@code [env]} configuration may
 * come from (the KV family stores plain values, the secrets family secret ones). When the host
 * resolves a capsule's configuration it asks every binding of that capsule that implements this,
 * so it needs to know no family: for a plain key, a command-line value wins, then a stored value,
 * then the manifest's default; a {@code secret} key must be set in a source that holds secrets.
 */
public interface ConfigSource {
    /** The value this source stores for a plain key, if any. */
    default Optional<String> storedValue(String key) {
        return Optional.empty();
    }

    /**
     * Whether a secret is set for the key: empty when this source holds no secrets.
     *
     * @throws HostException when the key is not a valid secret name
     */
    default Optional<Boolean> secretSet(String key) {
        return Optional.empty();
    }
}
