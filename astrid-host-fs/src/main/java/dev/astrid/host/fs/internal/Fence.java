package dev.astrid.host.fs.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The host data directory as a mount sees it: a place no guest path may enter, whatever its
 * spelling or the links that lead there. It holds every capsule's state (KV, secrets, identities,
 * overlay layers), so a capsule that could read it would read the others'.
 *
 * <p>A path is fenced when its physical location (the root's canonical path plus the resolved
 * names, which hold no link) lies in the data directory's real path, or when the entry is the data
 * directory itself by file identity (which also catches another spelling on a case-insensitive
 * file system, or a bind mount).
 *
 * @param dir the data directory with every link resolved; {@code null} for {@link #NONE}
 * @param fileKey its file key, {@code null} when it did not exist at bind or the platform has none
 */
public record Fence(Path dir, Object fileKey) {

    /** No fence: for a root that lies inside the data directory (the default home root). */
    public static final Fence NONE = new Fence(null, null);

    /** Whether an entry at this physical path, with these attributes, is the data directory or inside it. */
    public boolean blocks(Path physical, Optional<Attrs> attrs) {
        if (dir != null && physical.startsWith(dir)) {
            return true;
        }
        return fileKey != null && attrs.isPresent() && fileKey.equals(attrs.get().fileKey());
    }

    /** Whether a name could be the data directory under another spelling, worth a look at its identity. */
    boolean mayBe(String name) {
        return fileKey != null && dir != null && dir.getFileName() != null
                && name.equalsIgnoreCase(dir.getFileName().toString());
    }
}
