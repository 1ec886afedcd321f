package dev.astrid.sys.abi;

/** The key-value family: one namespace per capsule, opaque values. */
public interface KvFunctions {
    /** {@code astrid_kv_get}: the stored value, or empty when the key is absent. */
    byte[] kvGet(byte[] key);

    /** {@code astrid_kv_set}: stores a value under a key. */
    void kvSet(byte[] key, byte[] value);

    /** {@code astrid_kv_delete}: removes a key; removing an absent key is not an error. */
    void kvDelete(byte[] key);

    /** {@code astrid_kv_list_keys}: JSON array of the keys that start with a prefix. */
    byte[] kvListKeys(byte[] prefix);

    /** {@code astrid_kv_clear_prefix}: deletes every key with a prefix; returns the JSON count. */
    byte[] kvClearPrefix(byte[] prefix);
}
