package dev.astrid.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where compiled modules are kept between runs. The runtime compiler's output for a module (JVM
 * classes) is stored in {@code directory}, one file per module, under a name derived from the
 * SHA-256 of the module's bytes, the Chicory version and the compiler settings. Every entry is
 * sealed with an HMAC-SHA256 under the key in {@code keyFile}; an entry that does not verify is
 * compiled again and replaced, never loaded. When the entries exceed {@code maxBytes} the least
 * recently used ones are deleted.
 *
 * @param directory the entries' directory (created with mode 0700)
 * @param keyFile the file of the 32-byte HMAC key (created with mode 0600); it must lie outside
 *     {@code directory}
 * @param maxBytes bound on the entries' total size; an entry larger than that is not stored
 */
public record ModuleCache(Path directory, Path keyFile, long maxBytes) {
    /** The default bound: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    /** Normalizes the paths and checks the bound and that the key is kept apart from the entries. */
    public ModuleCache {
        directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        keyFile = Objects.requireNonNull(keyFile, "keyFile").toAbsolutePath().normalize();
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the module cache bound must not be negative");
        }
        if (keyFile.startsWith(directory)) {
            throw new IllegalArgumentException("the module cache key file " + keyFile + " lies inside the cache directory "
                    + directory + "; keep it elsewhere");
        }
    }
}
