package dev.astrid.host.spi;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Host configuration addressed to providers: string keys, conventionally prefixed with the family
 * id ({@code fs.mode}, {@code ipc.queue-capacity}), and string values.
 */
public final class ProviderSettings {
    private final Map<String, String> values;

    private ProviderSettings(Map<String, String> values) {
        this.values = values;
    }

    /** Settings from a map (copied). */
    public static ProviderSettings of(Map<String, String> values) {
        return new ProviderSettings(Map.copyOf(values));
    }

    /** No settings at all. */
    public static ProviderSettings empty() {
        return new ProviderSettings(Map.of());
    }

    /** The value of a key, if set. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of a key, or a default. */
    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * An integer setting.
     *
     * @throws HostException naming the key when the value is not an integer
     */
    public long getLong(String key, long defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new HostException("setting " + key + " must be an integer, got '" + v + "'");
        }
    }

    /** All settings, sorted by key. */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    /** These settings with one more (or replaced) key. */
    public ProviderSettings with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new ProviderSettings(Map.copyOf(copy));
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
