package dev.astrid.host.fs;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.ProviderSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The provider settings of the file-system family, read once per capsule at bind time.
 *
 * @param mode where workspace writes land
 * @param onUnload what happens to an overlay's writes when the capsule unloads
 * @param homeRoot the directory behind {@code global://} and {@code home://}
 */
public record FsSettings(Mode mode, OnUnload onUnload, Path homeRoot) {

    /** Setting key: {@code direct} or {@code overlay} (the default). */
    public static final String MODE = "fs.mode";
    /** Setting key: {@code discard} (the default) or {@code commit}; only used in overlay mode. */
    public static final String ON_UNLOAD = "fs.overlay.on-unload";
    /** Setting key: the home root; a relative value is taken below the host data directory. */
    public static final String HOME_ROOT = "fs.home-root";

    /** Where workspace writes land. */
    public enum Mode {
        /** Writes go straight into the workspace. */
        DIRECT,
        /** The workspace is read-only; writes go to a per-capsule copy-on-write layer. */
        OVERLAY
    }

    /** The fate of an overlay's writes when the capsule unloads. */
    public enum OnUnload {
        /** Throw the writes away; the workspace never changes. */
        DISCARD,
        /** Apply the writes and deletions to the workspace. */
        COMMIT
    }

    /** Checks that no setting is null. */
    public FsSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(onUnload, "onUnload");
        Objects.requireNonNull(homeRoot, "homeRoot");
    }

    /**
     * Reads the settings, applying the defaults.
     *
     * @param settings the capsule's provider settings
     * @param hostDataDir the host data directory; the default home root is its {@code home}
     * @throws HostException naming the key when a value is not one of the allowed ones
     */
    public static FsSettings from(ProviderSettings settings, Path hostDataDir) {
        Mode mode = choice(settings, MODE, Mode.OVERLAY, Mode.values());
        OnUnload onUnload = choice(settings, ON_UNLOAD, OnUnload.DISCARD, OnUnload.values());
        String home = settings.get(HOME_ROOT, "home").trim();
        if (home.isEmpty()) {
            throw new HostException("setting " + HOME_ROOT + " must not be empty");
        }
        try {
            return new FsSettings(mode, onUnload, hostDataDir.resolve(home));
        } catch (InvalidPathException e) {
            throw new HostException("setting " + HOME_ROOT + " is not a valid path: '" + home + "'");
        }
    }

    private static <E extends Enum<E>> E choice(ProviderSettings settings, String key, E fallback, E[] values) {
        String value = settings.get(key).map(String::trim).orElse(null);
        if (value == null) {
            return fallback;
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : values) {
            String name = e.name().toLowerCase(Locale.ROOT);
            if (name.equals(value)) {
                return e;
            }
            allowed.append(allowed.length() == 0 ? "" : " or ").append('\'').append(name).append('\'');
        }
        throw new HostException("setting " + key + " must be " + allowed + ", got '" + value + "'");
    }
}
