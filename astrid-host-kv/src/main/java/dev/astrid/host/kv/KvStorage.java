package dev.astrid.host.kv;

import java.util.function.Consumer;

/**
 * Where the KV family keeps its bytes: the narrow interface a KV backend implements. The family's
 * one dispatch ({@link KvDispatch}) decodes the ABI, checks keys and prefixes and writes the JSON;
 * a backend only stores, finds and removes byte strings per namespace, and enforces the quota of
 * its {@link KvStore.Limits} atomically with each write.
 *
 * <p>Every method may throw {@link KvException} with a reason that completes the sentence
 * "{@code kv_<fn> failed: ...}".
 */
public interface KvStorage extends AutoCloseable {

    /** The value of a key, or null when absent. */
    byte[] get(String ns, byte[] key);

    /**
     * Stores a value; done when this returns.
     *
     * @throws KvException when the write would take the namespace over its quota (nothing is written then),
     *     see {@link #keysOverQuota} and {@link #bytesOverQuota}
     */
    void set(String ns, byte[] key, byte[] value);

    /** Deletes a key; absent keys are fine. */
    void delete(String ns, byte[] key);

    /**
     * Hands each key of a namespace that starts with a prefix to a visitor, sorted bytewise
     * (unsigned). An exception from the visitor ends the scan and reaches the caller.
     */
    void scanKeys(String ns, byte[] prefix, Consumer<byte[]> visitor);

    /** Deletes every key of a namespace that starts with a prefix, atomically; returns how many. */
    int clearPrefix(String ns, byte[] prefix);

    /** How many keys a namespace holds, and how many bytes of keys plus values: {@code {keys, bytes}}. */
    long[] usage(String ns);

    /** Releases the backend's resources. */
    @Override
    void close();

    /** The failure of a write that would add a key over the key quota: one wording for every backend. */
    static KvException keysOverQuota(long keys, long maxKeys) {
        return new KvException("quota exceeded: the capsule's store holds " + keys + " keys, its limit (setting kv.max-keys)"
                + " is " + maxKeys + "; delete keys first");
    }

    /** The failure of a write that would grow a namespace over its byte quota: one wording for every backend. */
    static KvException bytesOverQuota(long after, long maxBytes) {
        return new KvException("quota exceeded: this write would take the capsule's store to " + after
                + " bytes of keys and values, over its limit (setting kv.max-bytes) of " + maxBytes
                + "; delete keys first");
    }
}
