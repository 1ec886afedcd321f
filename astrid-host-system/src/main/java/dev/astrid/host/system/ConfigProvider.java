package dev.astrid.host.system;

import com.google.gson.JsonObject;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.ConfigFunctions;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * {@code astrid_get_config} and {@code astrid_get_caller}.
 *
 * <p>{@code get_config} answers the raw configured string (not JSON-quoted), or empty when the
 * key has no value. {@code get_caller} answers a JSON object with whichever of {@code user_id},
 * {@code session_id}, {@code source_id} and {@code timestamp} the current call has, and
 * {@code {}} when it has none (a call from the command line).
 */
public final class ConfigProvider implements FamilyProvider<ConfigFunctions> {
    @Override
    public String name() {
        return "astrid-reference-config";
    }

    @Override
    public TypedFamily<ConfigFunctions> typedFamily() {
        return TypedFamily.CONFIG;
    }

    @Override
    public ConfigFunctions bind(CapsuleContext capsule) {
        return new ConfigFunctions() {
            @Override
            public byte[] getConfig(byte[] key) {
                // A key that is not UTF-8 names nothing; decoded lossily it could name another key.
                String text;
                try {
                    text = GuestText.decodeStrict(key);
                } catch (IllegalArgumentException e) {
                    return new byte[0];
                }
                String v = capsule.config().get(text);
                return v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] getCaller() {
                return callerJson(capsule.currentInvocation().caller()).getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** The JSON form of a caller, omitting absent fields. */
    static String callerJson(Invocation.Caller c) {
        JsonObject o = new JsonObject();
        if (c.userId() != null) {
            o.addProperty("user_id", c.userId());
        }
        if (c.sessionId() != null) {
            o.addProperty("session_id", c.sessionId());
        }
        if (c.sourceId() != null) {
            o.addProperty("source_id", c.sourceId().toString());
        }
        if (c.timestamp() != null) {
            o.addProperty("timestamp", DateTimeFormatter.ISO_INSTANT.format(c.timestamp()));
        }
        return o.toString();
    }
}
