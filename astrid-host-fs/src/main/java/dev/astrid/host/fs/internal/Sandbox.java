package dev.astrid.host.fs.internal;

import dev.astrid.host.fs.GuestPath;
import dev.astrid.host.spi.HostException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link GuestPath} into a location below its root, following symbolic links the way the
 * operating system would, and refuses any path whose resolution leaves the root.
 *
 * <p>The walk goes one name at a time through the mount's layer (in overlay mode, the merged
 * view). A link's target replaces the link: a relative target continues from the link's
 * directory, an absolute one must name a place under the root. A {@code ..} coming from a target
 * steps back from the <em>resolved</em> directory, and stepping above the root is refused at once,
 * even if a later name would lead back in. Missing names are kept as they are, so a path may name
 * something about to be created. At most {@value #MAX_LINKS} links are followed per path.
 *
 * <p>No name on the way may be the host data directory or lie inside it ({@link Fence}): such a
 * path is refused ("path reaches the host data directory"), whichever link led there.
 *
 * <p>The resolution runs on every call, right before the operation, and nothing is cached: a link
 * swapped in between two calls is seen by the second. Inside one call the layers walk the
 * resolved names again without following any link ({@link Dir}).
 */
public final class Sandbox {
    /** The most links one resolution follows, as Linux's own limit. */
    public static final int MAX_LINKS = 40;

    private Sandbox() {}

    /**
     * Resolves a guest path.
     *
     * @param followLast whether a link in the final name is followed ({@code false} for unlink,
     *     which removes the link itself)
     * @throws HostException when the resolution leaves the root or meets too many links
     */
    public static Rel resolve(Mount mount, GuestPath path, boolean followLast) {
        Deque<String> pending = new ArrayDeque<>(path.segments());
        List<String> at = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (at.isEmpty()) {
                    throw escape(path, mount);
                }
                at.remove(at.size() - 1);
                continue;
            }
            at.add(name);
            Rel here = new Rel(at);
            Optional<Attrs> attrs = lstat(mount.layer(), here);
            if (mount.fenced(here, attrs)) {
                throw new HostException("path reaches the host data directory: " + path);
            }
            if (pending.isEmpty() && !followLast) {
                continue;
            }
            Optional<Path> target = linkTarget(mount.layer(), here, attrs);
            if (target.isEmpty()) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new HostException("too many levels of symbolic links: " + path);
            }
            at.remove(at.size() - 1);
            List<String> names;
            if (target.get().isAbsolute()) {
                names = mount.inside(target.get()).orElseThrow(() -> escape(path, mount));
                at.clear();
            } else {
                names = new ArrayList<>();
                for (Path part : target.get()) {
                    names.add(part.toString());
                }
            }
            for (int i = names.size() - 1; i >= 0; i--) {
                pending.addFirst(names.get(i));
            }
        }
        return new Rel(at);
    }

    // A name the layer cannot look at is not treated as a link: the operation itself will then
    // fail on the same name with the system's own reason.
    private static Optional<Attrs> lstat(Layer layer, Rel rel) {
        try {
            return layer.lstat(rel);
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> linkTarget(Layer layer, Rel rel, Optional<Attrs> attrs) {
        if (attrs.isEmpty() || attrs.get().kind() != Attrs.Kind.LINK) {
            return Optional.empty();
        }
        try {
            return Optional.of(layer.readLink(rel));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static HostException escape(GuestPath path, Mount mount) {
        return new HostException("path escapes root boundary: " + path + " follows a symbolic link out of the "
                + mount.root().label());
    }
}
