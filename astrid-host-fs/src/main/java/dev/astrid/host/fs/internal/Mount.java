package dev.astrid.host.fs.internal;

import dev.astrid.host.fs.GuestPath;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A root as the sandbox and the capability check see it.
 *
 * @param root which root this is
 * @param layer the entries below it
 * @param canonical the root directory with every link resolved; physical paths for the capability
 *     check are built on it
 * @param spellings the absolute spellings that name the root ({@code canonical} first, then the
 *     one the host configured), used to accept absolute link targets that point inside
 * @param fence the host data directory, which no path below the root may enter
 */
public record Mount(GuestPath.Root root, Layer layer, Path canonical, List<Path> spellings, Fence fence) {

    public Mount {
        spellings = List.copyOf(spellings);
        Objects.requireNonNull(fence, "fence");
    }

    /** A mount that no host data directory can be reached from. */
    public Mount(GuestPath.Root root, Layer layer, Path canonical, List<Path> spellings) {
        this(root, layer, canonical, spellings, Fence.NONE);
    }

    /** Whether a resolved location, with its attributes from the layer, is the data directory or inside it. */
    public boolean fenced(Rel rel, Optional<Attrs> attrs) {
        try {
            return fence.blocks(rel.in(canonical), attrs);
        } catch (InvalidPathException e) {
            return false; // not a name this host can have, so not one of the data directory's
        }
    }

    /**
     * The names of a directory listing without the data directory, so a listing of the directory
     * that holds it does not show it.
     */
    public SortedSet<String> visible(Rel dir, SortedSet<String> names) {
        SortedSet<String> out = new TreeSet<>();
        for (String name : names) {
            Rel entry = dir.child(name);
            if (!fenced(entry, Optional.empty()) && !(fence.mayBe(name) && fenced(entry, lstat(entry)))) {
                out.add(name);
            }
        }
        return out;
    }

    private Optional<Attrs> lstat(Rel rel) {
        try {
            return layer.lstat(rel);
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * The names below the root of an absolute link target, or empty when the target does not
     * start with one of the root's spellings.
     */
    public Optional<List<String>> inside(Path absolute) {
        for (Path spelling : spellings) {
            if (absolute.startsWith(spelling)) {
                List<String> names = new ArrayList<>();
                for (Path part : spelling.relativize(absolute)) {
                    names.add(part.toString());
                }
                return Optional.of(names);
            }
        }
        return Optional.empty();
    }
}
