package dev.astrid.reference;

import dev.astrid.sys.abi.SdkProfile;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Astrid SDK version a module was built with from its bytes. A Rust guest carries the
 * source paths of its panic locations in its data, and cargo puts a registry crate's version in
 * its directory name ({@code .../astrid-sdk-0.4.1/src/lib.rs}); the import list is the same for
 * every SDK, so these paths are the only trace. {@code astrid-sdk} is preferred over the
 * {@code astrid-sys} crate beneath it when both appear.
 */
public final class SdkVersionDetector {
    // The separator after the version keeps "astrid-sdk-0.4.1x" and prose out.
    private static final Pattern CRATE = Pattern.compile(
            "astrid-(sdk|sys)-(\\d{1,3}\\.\\d{1,3}\\.\\d{1,5}(?:-[0-9A-Za-z.]{1,40})?)[/\\\\]");
    /** Orders versions by their numbers (0.10.0 after 0.9.3), then by text. */
    private static final Comparator<String> VERSIONS = Comparator.<String, Integer>comparing(v -> number(v, 0))
            .thenComparing(v -> number(v, 1)).thenComparing(v -> number(v, 2)).thenComparing(Comparator.naturalOrder());

    private static final System.Logger LOG = System.getLogger(SdkVersionDetector.class.getName());

    private SdkVersionDetector() {}

    /**
     * The profile the module's SDK version calls for: the detected version's profile; {@code seed}
     * with a warning for a version no profile serves; {@code seed} when the module names none.
     *
     * @param capsule the capsule's name, for the warning
     */
    public static ProfileChoice detect(String capsule, byte[] wasm) {
        TreeSet<String> sdk = new TreeSet<>(VERSIONS);
        TreeSet<String> sys = new TreeSet<>(VERSIONS);
        // ISO-8859-1 maps each byte to one char, so the regular expression sees the raw bytes.
        Matcher m = CRATE.matcher(new String(wasm, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            (m.group(1).equals("sdk") ? sdk : sys).add(m.group(2));
        }
        if (sdk.isEmpty() && sys.isEmpty()) {
            return new ProfileChoice(SdkProfile.SEED, ProfileChoice.Source.DEFAULT, "no SDK version found in the module");
        }
        String crate = sdk.isEmpty() ? "astrid-sys" : "astrid-sdk";
        TreeSet<String> found = sdk.isEmpty() ? sys : sdk;
        String version = found.last();
        Optional<SdkProfile> profile = SdkProfile.forSdkVersion(version);
        StringBuilder detail = new StringBuilder("detected " + crate + "-" + version + " in the module");
        if (profile.isEmpty()) {
            detail.append(", a version no profile serves (").append(SdkProfile.names()).append("): using seed");
        }
        if (found.size() > 1) {
            detail.append("; the newest of ").append(String.join(", ", found));
        }
        if (!sdk.isEmpty() && !sys.isEmpty()) {
            detail.append("; preferred over astrid-sys-").append(String.join(", astrid-sys-", sys));
        }
        if (profile.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, capsule + ": " + detail);
            return new ProfileChoice(SdkProfile.SEED, ProfileChoice.Source.DETECTED, detail.toString());
        }
        return new ProfileChoice(profile.get(), ProfileChoice.Source.DETECTED, detail.toString());
    }

    private static int number(String version, int index) {
        String[] parts = version.split("[.-]", 4);
        return Integer.parseInt(parts[index]);
    }
}
