package dev.astrid.host.fs.internal;

import dev.astrid.host.spi.HostException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A copy-on-write view of the workspace: the workspace is the read-only lower layer, every change
 * goes to an upper directory private to this capsule load, and deletions of lower entries are
 * recorded as whiteouts.
 *
 * <p>Rules of the merged view:
 * <ul>
 *   <li>an entry in the upper layer is always visible and wins over the lower one;
 *   <li>a whiteout hides the lower entry at its location <em>and everything below it</em>, so a
 *       lower directory that was removed and created again comes back empty (it is "opaque");
 *   <li>a directory present in both layers lists the union of both, minus whited-out names.
 * </ul>
 * When the capsule unloads, the changes are committed to the workspace ({@link OverlayCommit}) or
 * thrown away, and the session directory holding the upper layer is removed.
 *
 * <p>Not thread-safe on its own: {@link CapsuleFs} serializes every call of a capsule.
 */
public final class OverlayLayer implements Layer {
    private final ReadLayer lower;
    private final DirectLayer upper;
    private final Path sessionDir;
    private final Optional<Path> commitTo;
    private final System.Logger log;
    // Whiteouts only matter while this load lives (and at its commit), so memory is enough.
    private final Set<Rel> whiteouts = new HashSet<>();

    /**
     * An overlay.
     *
     * @param lower the workspace, read only
     * @param upper the upper layer, inside {@code sessionDir}
     * @param sessionDir the directory removed at unload
     * @param commitTo the workspace directory to commit into at unload, or empty to discard
     * @param log where commit outcomes are reported
     */
    public OverlayLayer(ReadLayer lower, DirectLayer upper, Path sessionDir, Optional<Path> commitTo,
            System.Logger log) {
        this.lower = lower;
        this.upper = upper;
        this.sessionDir = sessionDir;
        this.commitTo = commitTo;
        this.log = log;
    }

    @Override
    public Optional<Attrs> lstat(Rel rel) throws IOException {
        Optional<Attrs> up = upper.lstat(rel);
        if (up.isPresent()) {
            return up;
        }
        return hidden(rel) ? Optional.empty() : lowerLstat(rel);
    }

    @Override
    public Path readLink(Rel rel) throws IOException {
        return upper.lstat(rel).isPresent() ? upper.readLink(rel) : lower.readLink(rel);
    }

    @Override
    public SortedSet<String> list(Rel rel) throws IOException {
        if (!existing(rel).isDirectory()) {
            throw new FsRefusal("not a directory");
        }
        SortedSet<String> names = new TreeSet<>();
        if (upper.lstat(rel).map(Attrs::isDirectory).orElse(false)) {
            names.addAll(upper.list(rel));
        }
        if (!hidden(rel) && lowerLstat(rel).map(Attrs::isDirectory).orElse(false)) {
            for (String name : lowerList(rel)) {
                if (!whiteouts.contains(rel.child(name))) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    @Override
    public byte[] read(Rel rel, int limit) throws IOException {
        if (upper.lstat(rel).isPresent()) {
            return upper.read(rel, limit);
        }
        if (hidden(rel)) {
            throw new NoSuchFileException(rel.toString());
        }
        try {
            return lower.read(rel, limit);
        } catch (LinkInPath e) {
            throw new NoSuchFileException(rel.toString());
        }
    }

    @Override
    public void mkdirs(Rel rel) throws IOException {
        for (Rel step : rel.lineage()) {
            Optional<Attrs> attrs = lstat(step);
            if (attrs.isEmpty()) {
                upper.mkdirs(rel); // creates the upper copies of the lower parents on the way
                return;
            }
            if (!attrs.get().isDirectory()) {
                throw new FsRefusal(step.equals(rel) ? "exists and is not a directory" : "a parent is not a directory");
            }
        }
    }

    @Override
    public void write(Rel rel, byte[] content) throws IOException {
        if (lstat(rel).map(Attrs::isDirectory).orElse(false)) {
            throw new FsRefusal("is a directory");
        }
        for (Rel step : rel.parent().lineage()) {
            Optional<Attrs> attrs = lstat(step);
            if (attrs.isPresent() && !attrs.get().isDirectory()) {
                throw new FsRefusal("a parent is not a directory");
            }
        }
        upper.write(rel, content); // a whiteout at rel stays: the lower entry must not come back
    }

    @Override
    public void delete(Rel rel) throws IOException {
        Attrs attrs = existing(rel);
        if (attrs.isDirectory() && !list(rel).isEmpty()) {
            throw new FsRefusal("directory is not empty");
        }
        if (upper.lstat(rel).isPresent()) {
            upper.delete(rel); // empty: the merged listing includes every upper entry
        }
        if (inLower(rel)) {
            whiteouts.add(rel);
        }
    }

    @Override
    public void unload() {
        if (commitTo.isPresent()) {
            try {
                OverlayCommit.Summary s = OverlayCommit.apply(upper.root(), whiteouts, commitTo.get());
                log.log(System.Logger.Level.INFO, "fs overlay committed: {0} files written, {1} deletions",
                        s.files(), s.deletions());
            } catch (IOException | RuntimeException e) {
                // Keep the layer: the capsule's work must not vanish because the commit failed.
                throw new HostException("fs overlay commit failed (" + Reasons.of(e) + "); the uncommitted changes are kept in "
                        + sessionDir, e);
            }
        }
        try {
            Trees.delete(sessionDir);
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "could not remove fs overlay directory " + sessionDir, e);
        }
    }

    /** The whiteouts recorded so far, for tests and diagnostics. */
    public Set<Rel> whiteouts() {
        return Set.copyOf(whiteouts);
    }

    private boolean hidden(Rel rel) {
        for (Rel step : rel.lineage()) {
            if (whiteouts.contains(step)) {
                return true;
            }
        }
        return false;
    }

    private boolean inLower(Rel rel) {
        try {
            return lowerLstat(rel).isPresent();
        } catch (IOException e) {
            return false; // the lower layer cannot have it (a parent is a file, or unreadable)
        }
    }

    // A lower directory swapped for a link (by another process: no function makes links) ends the
    // lower tree there, as overlayfs ignores a lower non-directory under an upper directory: the
    // link is never followed, whether it leads out of the workspace or not. The sandbox already
    // refuses such a link where the merged view shows it; this covers the places where an upper
    // directory hides it.
    private Optional<Attrs> lowerLstat(Rel rel) throws IOException {
        try {
            return lower.lstat(rel);
        } catch (LinkInPath e) {
            return Optional.empty();
        }
    }

    private SortedSet<String> lowerList(Rel rel) throws IOException {
        try {
            return lower.list(rel);
        } catch (LinkInPath e) {
            return new TreeSet<>();
        }
    }

    private Attrs existing(Rel rel) throws IOException {
        return lstat(rel).orElseThrow(() -> new NoSuchFileException(rel.toString()));
    }
}
