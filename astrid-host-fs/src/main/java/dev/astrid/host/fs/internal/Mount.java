package dev.astrid.host.fs.internal;

import dev.astrid.host.fs.GuestPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A root as the sandbox and the capability check see it.
 *
 * @param root which root this is
 * @param layer the entries below it
 * @param canonical the root directory with every link resolved; physical paths for the capability
 *     check are built on it
 * @param spellings the absolute spellings that name the root ({@code canonical} first, then the
 *     one the host configured), used to accept absolute link targets that point inside
 */
public record Mount(GuestPath.Root root, Layer layer, Path canonical, List<Path> spellings) {

    public Mount {
        spellings = List.copyOf(spellings);
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
