package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A layer that is a plain directory on the host: the workspace in direct mode, the home root, the
 * upper layer of an overlay, and the overlay's view of the workspace below it.
 *
 * <p>Locations come from the sandbox, so their existing components were real directories when it
 * resolved them. Every look-up walks them again at use through a {@link Dir}, one name at a time
 * without following a link, so a directory swapped for a link since then is refused
 * ({@link LinkInPath}) instead of followed; the final name is never followed either.
 */
public final class DirectLayer implements Layer {
    private final Path root;
    private final boolean createRoot;

    /**
     * A layer over a directory.
     *
     * @param root the directory, canonical
     * @param createRoot whether the first write creates the directory when it is missing
     */
    public DirectLayer(Path root, boolean createRoot) {
        this.root = root;
        this.createRoot = createRoot;
    }

    /** The directory this layer serves. */
    public Path root() {
        return root;
    }

    @Override
    public Optional<Attrs> lstat(Rel rel) throws IOException {
        try {
            if (rel.isRoot()) {
                return Optional.of(Attrs.of(Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
            }
            try (Dir parent = Dir.parentOf(root, rel)) {
                return parent.lstat(rel.name());
            }
        } catch (NoSuchFileException e) {
            return Optional.empty(); // the entry or a directory on its way is missing
        }
    }

    @Override
    public Path readLink(Rel rel) throws IOException {
        try (Dir parent = Dir.parentOf(root, rel)) {
            if (parent.lstat(rel.name()).map(a -> a.kind() != Attrs.Kind.LINK).orElse(true)) {
                throw new NotLinkException(rel.toString());
            }
            // java.nio has no readlinkat: the directories on the way were just checked, and the
            // sandbox judges the target it gets anyway.
            return Files.readSymbolicLink(rel.in(root));
        }
    }

    @Override
    public SortedSet<String> list(Rel rel) throws IOException {
        if (rel.isRoot()) {
            existing(rel);
            try (Dir dir = Dir.open(root)) {
                return dir.names();
            }
        }
        try (Dir parent = Dir.parentOf(root, rel)) {
            Attrs attrs = parent.lstat(rel.name()).orElseThrow(() -> new NoSuchFileException(rel.toString()));
            if (!attrs.isDirectory()) {
                throw new FsRefusal("not a directory");
            }
            try (Dir dir = parent.child(rel.name())) {
                return dir.names();
            }
        }
    }

    @Override
    public byte[] read(Rel rel, int limit) throws IOException {
        if (rel.isRoot()) {
            existing(rel);
            throw new FsRefusal("is a directory");
        }
        try (Dir parent = Dir.parentOf(root, rel)) {
            Attrs attrs = parent.lstat(rel.name()).orElseThrow(() -> new NoSuchFileException(rel.toString()));
            if (attrs.isDirectory()) {
                throw new FsRefusal("is a directory");
            }
            if (attrs.kind() != Attrs.Kind.FILE) {
                // Reading a pipe or a device could block the host forever.
                throw new FsRefusal("not a regular file");
            }
            if (attrs.size() > limit) {
                throw tooLarge(attrs.size(), limit);
            }
            try (SeekableByteChannel ch = parent.read(rel.name());
                 InputStream in = Channels.newInputStream(ch)) {
                // Read at most one byte past the limit: a file that grew since the check is still refused.
                byte[] content = in.readNBytes(limit + 1);
                if (content.length > limit) {
                    throw tooLarge(Math.max(ch.size(), content.length), limit);
                }
                return content;
            }
        }
    }

    @Override
    public void mkdirs(Rel rel) throws IOException {
        ensureRoot();
        for (Rel step : rel.lineage()) {
            Optional<Attrs> attrs = lstat(step);
            if (attrs.isEmpty()) {
                try {
                    Files.createDirectory(step.in(root));
                    continue;
                } catch (FileAlreadyExistsException e) {
                    attrs = lstat(step); // created by someone else meanwhile; look again
                }
            }
            if (attrs.isEmpty() || !attrs.get().isDirectory()) {
                throw new FsRefusal(step.equals(rel) ? "exists and is not a directory" : "a parent is not a directory");
            }
        }
    }

    @Override
    public void write(Rel rel, byte[] content) throws IOException {
        Optional<Attrs> attrs = lstat(rel);
        if (attrs.isPresent() && attrs.get().isDirectory()) {
            throw new FsRefusal("is a directory");
        }
        mkdirs(rel.parent());
        AtomicFiles.write(rel.in(root), content);
    }

    @Override
    public void delete(Rel rel) throws IOException {
        existing(rel);
        Files.delete(rel.in(root));
    }

    /** The attributes of an entry that must exist. */
    private Attrs existing(Rel rel) throws IOException {
        return lstat(rel).orElseThrow(() -> new NoSuchFileException(rel.toString()));
    }

    private void ensureRoot() throws IOException {
        if (createRoot) {
            Files.createDirectories(root);
        }
    }

    static FsRefusal tooLarge(long size, long limit) {
        return new FsRefusal("file is too large (" + size + " bytes, the limit is " + limit + " bytes)");
    }
}
