package dev.astrid.host.fs;

import dev.astrid.host.fs.internal.Binder;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.sys.abi.FsFunctions;

/**
 * The built-in provider of the file-system family.
 *
 * <p>It holds no state of its own: everything lives in the {@link CapsuleFileSystem} that
 * {@link #bind} makes for each capsule, configured by that capsule's {@link FsSettings}.
 */
public final class FsProvider implements FamilyProvider<FsFunctions> {

    /** The provider's name in configuration. */
    public static final String NAME = "astrid-host-fs";

    /** Creates the provider; the host calls this through {@link java.util.ServiceLoader}. */
    public FsProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TypedFamily<FsFunctions> typedFamily() {
        return TypedFamily.FS;
    }

    /**
     * Binds the file functions for one capsule.
     *
     * @throws dev.astrid.host.spi.HostException when a setting is invalid or the workspace or an
     *     overlay directory cannot be used
     */
    @Override
    public CapsuleFileSystem bind(CapsuleContext capsule) {
        return Binder.bind(capsule, FsSettings.from(capsule.settings(), capsule.hostDataDir()));
    }
}
