package dev.astrid.host.fs;

import dev.astrid.sys.abi.FsFunctions;

/**
 * The file-system functions bound to one capsule, as {@link FsProvider#bind} returns them.
 *
 * <p>Closing it is the capsule's unload: an overlay's writes are committed to the workspace or
 * discarded (setting {@value FsSettings#ON_UNLOAD}) and its layer is removed. Afterwards every
 * function is refused. Closing twice does nothing.
 */
public interface CapsuleFileSystem extends FsFunctions, AutoCloseable {

    /**
     * Unloads the capsule's file system.
     *
     * @throws dev.astrid.host.spi.HostException when an overlay commit fails; the uncommitted
     *     layer is then kept on disk and the message says where
     */
    @Override
    void close();
}
