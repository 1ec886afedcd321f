package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The read side of a layer: a tree of entries below one root, addressed by {@link Rel}.
 *
 * <p>The overlay holds its lower layer (the workspace) through this interface only, so it cannot
 * write there by construction.
 */
public interface ReadLayer {

    /** The entry at a location, not following a final symbolic link; empty when there is none. */
    Optional<Attrs> lstat(Rel rel) throws IOException;

    /** The target of the symbolic link at a location, as written in the link. */
    Path readLink(Rel rel) throws IOException;

    /** The names in a directory, sorted; fails unless the location is a directory. */
    SortedSet<String> list(Rel rel) throws IOException;

    /**
     * The content of a file.
     *
     * @param limit the largest size accepted; a larger file is refused before it is read
     */
    byte[] read(Rel rel, int limit) throws IOException;
}
