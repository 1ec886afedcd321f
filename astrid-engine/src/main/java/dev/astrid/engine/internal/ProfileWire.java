package dev.astrid.engine.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.HostException;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.GuestExports;
import dev.astrid.sys.abi.SdkProfile;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The wire of each SDK profile, as a reshaping of the seed's.
 *
 * <p>Families implement one behaviour, the seed's. Everything a later profile changes on the wire
 * happens here, between the kernel and the family interfaces: result framing, the stream
 * sentinels, the {@code /tmp} path scheme, the caller's shape, the verdict byte of a hook answer
 * and the functions a profile no longer offers. A function whose wire is the seed's gets no
 * {@link Reshape} at all, so its path through {@link AbiImports} is unchanged. docs/profiles.md
 * lists each difference with its origin.
 */
public final class ProfileWire {

    /** The seven reading functions that answer {@code 0x00}+payload or {@code 0x01}+message from SDK 0.5 on. */
    static final Set<AbiFunction> RESULT_FRAMED = EnumSet.of(AbiFunction.FS_EXISTS, AbiFunction.FS_READDIR,
            AbiFunction.FS_STAT, AbiFunction.READ_FILE, AbiFunction.KV_GET, AbiFunction.KV_LIST_KEYS,
            AbiFunction.KV_CLEAR_PREFIX);

    /** The file functions whose first argument is a guest path. */
    private static final Set<AbiFunction> PATH_FIRST = EnumSet.of(AbiFunction.FS_EXISTS, AbiFunction.FS_MKDIR,
            AbiFunction.FS_READDIR, AbiFunction.FS_STAT, AbiFunction.FS_UNLINK, AbiFunction.READ_FILE,
            AbiFunction.WRITE_FILE);

    /** The functions SDK 0.5 capsules no longer have. */
    private static final Set<AbiFunction> GONE_IN_0_5 = EnumSet.of(AbiFunction.CRON_SCHEDULE, AbiFunction.CRON_CANCEL);

    static final byte OK = 0x00;
    static final byte ERR = 0x01;
    static final byte NET_DATA = 0x00;
    static final byte NET_CLOSED = 0x01;
    static final byte NET_NOTHING_YET = 0x02;
    static final byte HOOK_CONTINUE = 0x00;
    static final byte HOOK_FINAL = 0x01;
    static final byte HOOK_DENY = 0x02;

    private static final String GUEST_TMP = "/tmp";
    /** The scheme the file family maps onto the capsule's private temporary directory. */
    private static final String TMP_SCHEME = "tmp://";

    private ProfileWire() {}

    /** A family call under a profile whose wire differs from the seed's for that function. */
    @FunctionalInterface
    public interface Reshape {
        /**
         * Calls the family and answers what the profile's guests expect.
         *
         * @param args the arguments as read from kernel memory; a reshape may replace elements
         * @return the result bytes, or null for a function that returns nothing
         */
        byte[] invoke(AbiFunction fn, Object target, byte[][] args);
    }

    /**
     * How a function's call is reshaped under a profile; null when the profile's wire for it is
     * the seed's.
     */
    public static Reshape forFunction(SdkProfile profile, AbiFunction fn) {
        Reshape r = null;
        if (fn == AbiFunction.NET_READ && profile.atLeast(SdkProfile.SDK_0_4)) {
            r = ProfileWire::netReadWithStatus;
        } else if (fn == AbiFunction.NET_READ && profile.atLeast(SdkProfile.SDK_0_3)) {
            r = ProfileWire::netReadWithClosedSentinel;
        } else if (fn == AbiFunction.NET_WRITE && profile.atLeast(SdkProfile.SDK_0_3)) {
            r = ProfileWire::netWriteIgnoringGonePeer;
        } else if (fn == AbiFunction.GET_CALLER && profile.atLeast(SdkProfile.SDK_0_5)) {
            r = ProfileWire::callerWithPrincipal;
        }
        if (profile.atLeast(SdkProfile.SDK_0_5)) {
            if (RESULT_FRAMED.contains(fn)) {
                r = PATH_FIRST.contains(fn) ? framed(ProfileWire::withTmpPath) : framed(AbiFunction::invoke);
            } else if (PATH_FIRST.contains(fn)) {
                r = ProfileWire::withTmpPath;
            }
        }
        return r;
    }

    /**
     * Refuses a module that imports a function its profile does not have, naming the profile and
     * the likely fix.
     *
     * @throws IllegalArgumentException when it does
     */
    public static void checkImports(String module, SdkProfile profile, List<AbiFunction> imports) {
        if (!profile.atLeast(SdkProfile.SDK_0_5)) {
            return;
        }
        List<String> gone = imports.stream().filter(GONE_IN_0_5::contains).map(AbiFunction::symbol)
                .collect(Collectors.toList());
        if (!gone.isEmpty()) {
            throw new IllegalArgumentException(module + " cannot be linked: it imports " + String.join(" and ", gone)
                    + ", which SDK "
                    + profile.id() + " capsules do not have (Astrid SDK 0.5 removed the cron functions); "
                    + "a capsule that imports them was built with SDK 0.4 or older: give it that profile with "
                    + "[package] astrid-sdk = \"0.4\" in Capsule.toml or --profile " + module + "=0.4");
        }
    }

    /**
     * What the host makes of an export's output under a profile. From SDK 0.5 on, an
     * {@code astrid_hook_trigger} answer may start with a verdict byte: {@code 0x00} continue and
     * {@code 0x01} final keep the rest as the answer, {@code 0x02} denies with the rest as the
     * reason; any other first byte is an answer without a verdict.
     *
     * @throws GuestCallException for a denial, with the guest's reason
     */
    public static byte[] exportOutput(SdkProfile profile, String export, byte[] out) {
        if (!profile.atLeast(SdkProfile.SDK_0_5) || !GuestExports.HOOK_TRIGGER.equals(export) || out.length == 0) {
            return out;
        }
        switch (out[0]) {
            case HOOK_CONTINUE:
            case HOOK_FINAL:
                return java.util.Arrays.copyOfRange(out, 1, out.length);
            case HOOK_DENY:
                throw new GuestCallException(GuestCallException.Kind.GUEST_ERROR, "the interceptor denied the event: "
                        + printable(new String(out, 1, out.length - 1, StandardCharsets.UTF_8)));
            default:
                return out;
        }
    }

    // ---- result framing (SDK 0.5) ------------------------------------------------------------

    private static Reshape framed(Reshape inner) {
        return (fn, target, args) -> {
            byte[] payload;
            try {
                payload = inner.invoke(fn, target, args);
            } catch (HostException | GuestCallException e) {
                return prefixed(ERR, (fn.symbol() + ": " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
            return prefixed(OK, payload);
        };
    }

    // ---- guest paths (SDK 0.5) ---------------------------------------------------------------

    /** {@code /tmp} and {@code /tmp/...} name the capsule's private temporary directory. */
    private static byte[] withTmpPath(AbiFunction fn, Object target, byte[][] args) {
        args[0] = tmpPath(args[0]);
        return fn.invoke(target, args);
    }

    static byte[] tmpPath(byte[] path) {
        int n = GUEST_TMP.length();
        if (path.length < n || (path.length > n && path[n] != '/')) {
            return path;
        }
        for (int i = 0; i < n; i++) {
            if (path[i] != GUEST_TMP.charAt(i)) {
                return path;
            }
        }
        byte[] scheme = TMP_SCHEME.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[scheme.length + path.length - n];
        System.arraycopy(scheme, 0, out, 0, scheme.length);
        System.arraycopy(path, n, out, scheme.length, path.length - n);
        return out;
    }

    // ---- streams -----------------------------------------------------------------------------

    /** SDK 0.3: a peer that has gone away reads as the single byte {@code 0x01}. */
    private static byte[] netReadWithClosedSentinel(AbiFunction fn, Object target, byte[][] args) {
        try {
            return fn.invoke(target, args);
        } catch (HostException e) {
            if (e.isPeerClosed()) {
                return new byte[] {NET_CLOSED};
            }
            throw e;
        }
    }

    /** SDK 0.4: {@code 0x00}+frame, {@code 0x01} closed, {@code 0x02} nothing yet. */
    private static byte[] netReadWithStatus(AbiFunction fn, Object target, byte[][] args) {
        byte[] frame;
        try {
            frame = fn.invoke(target, args);
        } catch (HostException e) {
            if (e.isPeerClosed()) {
                return new byte[] {NET_CLOSED};
            }
            throw e;
        }
        return frame == null || frame.length == 0 ? new byte[] {NET_NOTHING_YET} : prefixed(NET_DATA, frame);
    }

    /** SDK 0.3 on: a write to a peer that has gone away returns normally. */
    private static byte[] netWriteIgnoringGonePeer(AbiFunction fn, Object target, byte[][] args) {
        try {
            return fn.invoke(target, args);
        } catch (HostException e) {
            if (e.isPeerClosed()) {
                return null;
            }
            throw e;
        }
    }

    // ---- caller (SDK 0.5) --------------------------------------------------------------------

    /**
     * SDK 0.5: {@code {"principal","source_id","timestamp"}} for a call a message caused, else
     * {@code {}}; the principal is the user behind the message, omitted when there is none.
     */
    private static byte[] callerWithPrincipal(AbiFunction fn, Object target, byte[][] args) {
        byte[] seed = fn.invoke(target, args);
        JsonElement parsed = JsonParser.parseString(new String(seed, StandardCharsets.UTF_8));
        JsonObject in = parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        JsonObject out = new JsonObject();
        if (in.has("source_id")) {
            if (in.has("user_id")) {
                out.add("principal", in.get("user_id"));
            }
            out.add("source_id", in.get("source_id"));
            if (in.has("timestamp")) {
                String ts = in.get("timestamp").getAsString();
                out.addProperty("timestamp", ts.endsWith("Z") ? ts.substring(0, ts.length() - 1) + "+00:00" : ts);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static byte[] prefixed(byte first, byte[] rest) {
        byte[] body = rest == null ? new byte[0] : rest;
        byte[] out = new byte[body.length + 1];
        out[0] = first;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static String printable(String s) {
        String cut = s.length() > 500 ? s.substring(0, 500) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
