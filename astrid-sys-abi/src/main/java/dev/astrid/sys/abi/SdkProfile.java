package dev.astrid.sys.abi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The wire a capsule's SDK generation expects under the same import names.
 *
 * <p>Upstream's host changed what several functions return between Astrid SDK releases without
 * renaming them, so a capsule built against one release misreads another release's bytes. A host
 * serves each capsule the wire of the SDK it was built with; the families implement one behaviour
 * (the {@link #SEED seed}'s) and an adapter between the kernel and the families reshapes results,
 * errors and paths for the later profiles. {@code docs/profiles.md} lists every difference with
 * its origin.
 */
public enum SdkProfile {
    /**
     * SDK 0.2.x, the 48 functions of the seed: errors trap, {@code astrid_net_read} answers empty
     * for "nothing yet" and traps when the peer closes.
     */
    SEED("seed", 2),
    /**
     * SDK 0.3.x: {@code astrid_net_read} answers the single byte {@code 0x01} when the peer has
     * closed, and {@code astrid_net_write} to a closed peer returns normally.
     */
    SDK_0_3("0.3", 3),
    /**
     * SDK 0.4.x: every {@code astrid_net_read} answer starts with a status byte: {@code 0x00} and
     * a frame, {@code 0x01} closed, {@code 0x02} nothing yet.
     */
    SDK_0_4("0.4", 4),
    /**
     * SDK 0.5.x: seven reading functions frame their answer as a result ({@code 0x00} and the
     * payload, or {@code 0x01} and a message instead of a trap), guest paths under {@code /tmp}
     * name a private temporary directory, {@code astrid_get_caller} names the principal, hook
     * answers may start with a verdict byte, and the cron functions are gone.
     */
    SDK_0_5("0.5", 5);

    /** An SDK version as it appears in a manifest or a crate path: {@code 0.4}, {@code 0.4.1}, {@code 0.5.0-rc.1}. */
    private static final Pattern VERSION = Pattern.compile("0\\.(\\d{1,3})(?:\\.\\d{1,5})?(?:[-+][0-9A-Za-z.-]{1,40})?");

    private final String id;
    private final int minor;

    SdkProfile(String id, int minor) {
        this.id = id;
        this.minor = minor;
    }

    /** The name used in manifests, options and messages: {@code seed}, {@code 0.3}, {@code 0.4}, {@code 0.5}. */
    public String id() {
        return id;
    }

    /** Whether this profile has every change of {@code other} (profiles only ever add changes). */
    public boolean atLeast(SdkProfile other) {
        return minor >= other.minor;
    }

    /** The profiles' names, for messages: {@code seed, 0.3, 0.4, 0.5}. */
    public static String names() {
        return Arrays.stream(values()).map(SdkProfile::id).collect(Collectors.joining(", "));
    }

    /** Every profile, oldest first. */
    public static List<SdkProfile> all() {
        return List.of(values());
    }

    /**
     * The profile named by a profile name ({@code seed}, {@code 0.3}) or by an SDK version
     * ({@code 0.2.1}, {@code 0.4.0}).
     *
     * @throws IllegalArgumentException naming the accepted values when the text is neither
     */
    public static SdkProfile parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals(SEED.id)) {
            return SEED;
        }
        return forSdkVersion(t).orElseThrow(() -> new IllegalArgumentException(
                "unknown SDK profile '" + shown(text) + "': use one of " + names()
                        + ", or an Astrid SDK version from 0.2 to 0.5 such as 0.4.1"));
    }

    /**
     * The profile of an Astrid SDK version, e.g. {@code 0.4.1} gives {@link #SDK_0_4}; empty for a
     * version this host has no profile for (before 0.2 or after 0.5, or not a version).
     */
    public static Optional<SdkProfile> forSdkVersion(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int minor = Integer.parseInt(m.group(1));
        for (SdkProfile p : values()) {
            if (p.minor == minor) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return sb.toString();
    }
}
