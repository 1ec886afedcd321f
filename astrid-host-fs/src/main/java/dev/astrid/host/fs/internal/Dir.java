package dev.astrid.host.fs.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A directory below a layer's root, reached one name at a time without following a symbolic link
 * in any component: every look-up of a {@link DirectLayer} goes through one.
 *
 * <p>Where the platform has a {@link SecureDirectoryStream} (Linux), each directory on the way is
 * held open and every step is relative to it ({@code openat} and {@code fstatat} with no-follow),
 * so a component swapped for a link after the sandbox checked the path cannot redirect the
 * look-up, whenever the swap happens. Elsewhere each component is checked with a no-follow
 * {@code lstat} right before use, which leaves only the moment between that check and the open.
 */
abstract class Dir implements Closeable {
    private static final Set<OpenOption> READ_NOFOLLOW = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    /** Opens a layer's root; the root is canonical, so following its own spelling is fine. */
    static Dir open(Path root) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return new Secure(secure);
        }
        stream.close();
        return new Checked(root);
    }

    /**
     * Opens the directory that holds a location's last name, walking down from the root.
     *
     * @throws NoSuchFileException when a directory on the way is missing
     * @throws LinkInPath when one is a symbolic link
     * @throws NotDirectoryException when one is something else
     */
    static Dir parentOf(Path root, Rel rel) throws IOException {
        Dir dir = open(root);
        try {
            for (String name : rel.parent().names()) {
                Dir next = dir.child(name);
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            closeQuietly(dir, e);
            throw e;
        }
    }

    /** The entry with this name, without following a link; empty when there is none. */
    abstract Optional<Attrs> lstat(String name) throws IOException;

    /** The names in this directory, sorted. */
    abstract SortedSet<String> names() throws IOException;

    /** Opens the file with this name for reading; a link there is refused, not followed. */
    abstract SeekableByteChannel read(String name) throws IOException;

    /** Opens a child that is known to be a directory. */
    abstract Dir openChild(String name) throws IOException;

    /**
     * The child directory with this name.
     *
     * @throws LinkInPath when it is a symbolic link
     */
    final Dir child(String name) throws IOException {
        Attrs attrs = lstat(name).orElseThrow(() -> new NoSuchFileException(name));
        if (attrs.kind() == Attrs.Kind.LINK) {
            throw new LinkInPath();
        }
        if (!attrs.isDirectory()) {
            throw new NotDirectoryException(name);
        }
        return openChild(name);
    }

    private static void closeQuietly(Dir dir, Exception cause) {
        try {
            dir.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private static SortedSet<String> names(DirectoryStream<Path> stream) throws IOException {
        SortedSet<String> names = new TreeSet<>();
        try {
            for (Path entry : stream) {
                names.add(entry.getFileName().toString());
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return names;
    }

    /** Every step relative to an open directory. */
    private static final class Secure extends Dir {
        private final SecureDirectoryStream<Path> stream;

        Secure(SecureDirectoryStream<Path> stream) {
            this.stream = stream;
        }

        @Override
        Optional<Attrs> lstat(String name) throws IOException {
            BasicFileAttributeView view = stream.getFileAttributeView(Path.of(name), BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                return Optional.of(Attrs.of(view.readAttributes()));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        SortedSet<String> names() throws IOException {
            return Dir.names(stream);
        }

        @Override
        SeekableByteChannel read(String name) throws IOException {
            return stream.newByteChannel(Path.of(name), READ_NOFOLLOW);
        }

        @Override
        Dir openChild(String name) throws IOException {
            return new Secure(stream.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** Paths, each component checked with a no-follow lstat on the way down. */
    private static final class Checked extends Dir {
        private final Path dir;

        Checked(Path dir) {
            this.dir = dir;
        }

        @Override
        Optional<Attrs> lstat(String name) throws IOException {
            try {
                return Optional.of(Attrs.of(Files.readAttributes(dir.resolve(name), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }

        @Override
        SortedSet<String> names() throws IOException {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                return Dir.names(stream);
            }
        }

        @Override
        SeekableByteChannel read(String name) throws IOException {
            return Files.newByteChannel(dir.resolve(name), READ_NOFOLLOW);
        }

        @Override
        Dir openChild(String name) {
            return new Checked(dir.resolve(name));
        }

        @Override
        public void close() {}
    }
}
