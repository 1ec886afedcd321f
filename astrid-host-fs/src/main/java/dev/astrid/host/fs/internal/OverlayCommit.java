package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Applies an overlay to the workspace so that it ends up as the capsule last saw it.
 *
 * <ol>
 *   <li>Whiteouts first, shallowest first: each removes the workspace entry at its location,
 *       recursively (a whited-out directory was empty in the capsule's view; anything found below
 *       it now was hidden from the capsule, and the capsule's view wins).
 *   <li>Then the upper layer, parents before children: a directory replaces whatever non-directory
 *       is in its way, a file replaces whatever is in its way (a directory tree included) and is
 *       written atomically.
 * </ol>
 * The commit never follows a symbolic link in the workspace: a link found where the overlay has a
 * directory is replaced by a real directory, and a whiteout below a link is skipped, so a link
 * swapped into the workspace during the session cannot redirect the commit outside of it. Each file
 * is replaced atomically; the commit as a whole is not (a crash in the middle leaves part applied).
 */
final class OverlayCommit {
    /** What a commit did. */
    record Summary(int files, int deletions) {}

    private OverlayCommit() {}

    static Summary apply(Path upperRoot, Set<Rel> whiteouts, Path workspace) throws IOException {
        List<Rel> order = new ArrayList<>(whiteouts);
        order.sort(Comparator.comparingInt(Rel::depth).thenComparing(Rel::toString));
        int deletions = 0;
        for (Rel gone : order) {
            if (realDirectories(workspace, gone.parent()) && kind(gone.in(workspace)).isPresent()) {
                Trees.delete(gone.in(workspace));
                deletions++;
            }
        }
        int[] files = {0};
        Files.walkFileTree(upperRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = relative(upperRoot, dir).in(workspace);
                if (!dir.equals(upperRoot) && !kind(target).map(Attrs::isDirectory).orElse(false)) {
                    Trees.delete(target);
                    Files.createDirectory(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) {
                    return FileVisitResult.CONTINUE; // the overlay only ever creates files and directories
                }
                Path target = relative(upperRoot, file).in(workspace);
                if (kind(target).map(Attrs::isDirectory).orElse(false)) {
                    Trees.delete(target);
                }
                AtomicFiles.copy(file, target);
                files[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        return new Summary(files[0], deletions);
    }

    private static Rel relative(Path root, Path p) {
        List<String> names = new ArrayList<>();
        for (Path part : root.relativize(p)) {
            if (!part.toString().isEmpty()) {
                names.add(part.toString());
            }
        }
        return new Rel(names);
    }

    private static boolean realDirectories(Path workspace, Rel rel) throws IOException {
        for (Rel step : rel.lineage()) {
            if (!kind(step.in(workspace)).map(Attrs::isDirectory).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Attrs> kind(Path p) throws IOException {
        try {
            return Optional.of(Attrs.of(Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
