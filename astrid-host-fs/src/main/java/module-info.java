/**
 * The file-system family of host functions: {@code astrid_fs_exists}, {@code astrid_fs_mkdir},
 * {@code astrid_fs_readdir}, {@code astrid_fs_stat}, {@code astrid_fs_unlink},
 * {@code astrid_read_file} and {@code astrid_write_file}.
 *
 * <p>Guest paths resolve inside the capsule's workspace or, with {@code global://} and
 * {@code home://}, inside the host's shared home root; every call is sandboxed and checked against
 * the capsule's {@code fs_read} / {@code fs_write} capabilities. Writes to the workspace land
 * directly or in a per-capsule copy-on-write layer ({@code fs.mode}). The behaviour, and every
 * difference from upstream Astrid, is written down in {@code docs/families/fs.md}.
 */
module dev.astrid.host.fs {
    // transitive: the exported API (FsProvider, FsSettings, CapsuleFileSystem) speaks SPI and ABI types
    requires transitive dev.astrid.host.spi;
    requires com.google.gson;

    exports dev.astrid.host.fs;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.fs.FsProvider;
}
