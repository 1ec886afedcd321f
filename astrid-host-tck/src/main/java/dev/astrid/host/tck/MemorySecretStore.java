package dev.astrid.host.tck;

import dev.astrid.host.spi.services.SecretStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecretStore} in memory, for tests: what a family stored can be read back and checked. */
public final class MemorySecretStore implements SecretStore {
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    private static String id(String owner, String key) {
        return owner + '\0' + key;
    }

    @Override
    public boolean has(String owner, String key) {
        return values.containsKey(id(owner, key));
    }

    @Override
    public void put(String owner, String key, byte[] value) {
        values.put(id(owner, key), value.clone());
    }

    @Override
    public Optional<byte[]> get(String owner, String key) {
        return Optional.ofNullable(values.get(id(owner, key))).map(byte[]::clone);
    }

    @Override
    public boolean delete(String owner, String key) {
        return values.remove(id(owner, key)) != null;
    }

    /** How many secrets are stored, for every owner. */
    public int size() {
        return values.size();
    }
}
