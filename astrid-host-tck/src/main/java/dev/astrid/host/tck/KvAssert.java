package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.astrid.sys.abi.KvFunctions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * Assertions on one capsule's KV binding, in the terms of the family rather than of bytes:
 * {@code assertThatKv(kv).hasValue("k", "v").listsKeys("a", "b")}. Each assertion calls the
 * binding, so it checks what a guest would see.
 */
public final class KvAssert {
    private final KvFunctions kv;
    private final String name;

    private KvAssert(KvFunctions kv, String name) {
        this.kv = kv;
        this.name = name;
    }

    /** Starts assertions on a KV binding. */
    public static KvAssert assertThatKv(KvFunctions kv) {
        return new KvAssert(kv, "kv");
    }

    /** Starts assertions on a KV binding, naming it in failure messages (say, by its capsule). */
    public static KvAssert assertThatKv(KvFunctions kv, String name) {
        return new KvAssert(kv, name);
    }

    /** Names what follows in failure messages, for example why the expectation holds. */
    public KvAssert as(String description, Object... args) {
        return new KvAssert(kv, name + " (" + String.format(description, args) + ")");
    }

    /** {@code kv_get(key)} answers exactly these bytes; a failure shows lengths and the first difference, not megabytes. */
    public KvAssert hasValue(String key, byte[] expected) {
        return hasValue(utf8(key), expected);
    }

    /** {@code kv_get(key)} answers exactly these bytes. */
    public KvAssert hasValue(byte[] key, byte[] expected) {
        byte[] actual = kv.kvGet(key);
        if (!Arrays.equals(actual, expected)) {
            int at = Arrays.mismatch(actual, expected);
            fail("%s: kv_get(%s) answered %d bytes, expected %d bytes; they differ first at byte %d", name, show(key),
                    actual.length, expected.length, at);
        }
        return this;
    }

    /** {@code kv_get(key)} answers the UTF-8 bytes of this text. */
    public KvAssert hasValue(String key, String expectedText) {
        byte[] actual = kv.kvGet(utf8(key));
        assertThat(actual).as("%s: kv_get(%s) answered \"%s\"", name, show(utf8(key)),
                new String(actual, StandardCharsets.UTF_8)).isEqualTo(utf8(expectedText));
        return this;
    }

    /** {@code kv_get(key)} answers empty, as for a key never set. */
    public KvAssert hasNoValue(String key) {
        assertThat(kv.kvGet(utf8(key))).as("%s: kv_get(%s) of an absent key", name, show(utf8(key))).isEmpty();
        return this;
    }

    /** {@code kv_list_keys("")} answers exactly these keys, in this order. */
    public KvAssert listsKeys(String... expected) {
        return listsKeysWithPrefix("", expected);
    }

    /**
     * {@code kv_list_keys(prefix)} answers a JSON array of exactly these keys, in this order. The
     * expected order is the documented one: bytewise over the keys' UTF-8, bytes unsigned; a failure
     * says so, because a provider that sorts Java strings (UTF-16 code units) agrees with it only
     * below U+D800.
     */
    public KvAssert listsKeysWithPrefix(String prefix, String... expected) {
        byte[] answer = kv.kvListKeys(utf8(prefix));
        String text = new String(answer, StandardCharsets.UTF_8);
        Object parsed = JsonTree.parse(text);
        assertThat(parsed).as("%s: kv_list_keys(%s) must answer a JSON array, got %s", name, show(utf8(prefix)), text)
                .isInstanceOf(List.class);
        List<Object> keys = new ArrayList<>((List<?>) parsed);
        assertThat(keys).as("%s: kv_list_keys(%s) must list strings", name, show(utf8(prefix)))
                .allMatch(String.class::isInstance);
        assertThat(keys).as("%s: kv_list_keys(%s), sorted bytewise by UTF-8 with unsigned bytes (not as Java strings)",
                name, show(utf8(prefix))).containsExactly((Object[]) expected);
        return this;
    }

    /** {@code kv_clear_prefix(prefix)} answers this count as a JSON number. */
    public KvAssert clearsPrefix(String prefix, long expectedCount) {
        String answer = new String(kv.kvClearPrefix(utf8(prefix)), StandardCharsets.UTF_8);
        assertThat(JsonTree.parse(answer)).as("%s: kv_clear_prefix(%s) answered %s", name, show(utf8(prefix)), answer)
                .isEqualTo(expectedCount);
        return this;
    }

    /**
     * The action fails with a {@link dev.astrid.host.spi.HostException} whose message starts with
     * {@code <op> failed: } (the host adds the function name); returns an assertion on it for the reason.
     */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String op, Runnable action) {
        return ProviderContract.assertHostError(action).hasMessageStartingWith(op + " failed: ");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A key for a failure message: its text, or its length when it is long. */
    private static String show(byte[] key) {
        if (key.length > 64) {
            return "<" + key.length + "-byte key>";
        }
        return "\"" + new String(key, StandardCharsets.UTF_8) + "\"";
    }
}
