package dev.astrid.host.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A layer that is a plain directory on the host: the workspace in direct mode, the home root, and
 * the upper layer of an overlay.
 *
 * <p>Locations come from the sandbox, so existing components are real directories; the final
 * component is still opened without following a link, so a link swapped in after resolution is
 * refused instead of followed.
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
            return Optional.of(Attrs.of(Files.readAttributes(rel.in(root), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Path readLink(Rel rel) throws IOException {
        return Files.readSymbolicLink(rel.in(root));
    }

    @Override
    public SortedSet<String> list(Rel rel) throws IOException {
        if (!existing(rel).isDirectory()) {
            throw new FsRefusal("not a directory");
        }
        SortedSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(rel.in(root))) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return names;
    }

    @Override
    public byte[] read(Rel rel, int limit) throws IOException {
        Attrs attrs = existing(rel);
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
        try (SeekableByteChannel ch = Files.newByteChannel(rel.in(root), StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            // Read at most one byte past the limit: a file that grew since the check is still refused.
            byte[] content = in.readNBytes(limit + 1);
            if (content.length > limit) {
                throw tooLarge(Math.max(ch.size(), content.length), limit);
            }
            return content;
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
