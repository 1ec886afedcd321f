package dev.astrid.host.net.internal;

import dev.astrid.host.spi.HostException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The directory that holds one capsule's sockets: {@code <capsule data dir>/sockets}, created mode
 * 0700 at the first bind, so only the host's user can reach a socket (the role upstream's peer-uid
 * check played). Every directory on the way to a socket is checked without following links; a link
 * anywhere below the directory, or the directory itself being a link, is refused.
 */
final class SocketDir {
    /**
     * The longest socket path the JDK binds: the system's {@code sun_path} (108 bytes on Linux, 104
     * on macOS and the BSDs) less the two bytes the JDK keeps, so 106 and 102.
     */
    static final int MAX_ADDRESS_BYTES = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") ? 106 : 102;

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path root;
    private final boolean posix;
    private final boolean unixModes;
    /** Directories made for socket paths, in the order they were made; removed at close when empty. */
    private final List<Path> made = new ArrayList<>();

    SocketDir(Path capsuleDataDir) {
        this.root = rootOf(capsuleDataDir);
        Set<String> views = root.getFileSystem().supportedFileAttributeViews();
        this.posix = views.contains("posix");
        this.unixModes = views.contains("unix");
    }

    static Path rootOf(Path capsuleDataDir) {
        return capsuleDataDir.toAbsolutePath().normalize().resolve("sockets");
    }

    /** The directory (it may not exist yet). */
    Path root() {
        return root;
    }

    /**
     * Where a name lives, checked against the address limit.
     *
     * @throws HostException when the whole path would not fit in a socket address
     */
    Path pathOf(SocketNames.Name name) {
        int dirBytes = root.toString().getBytes(StandardCharsets.UTF_8).length + 1;
        int nameBytes = name.byteLength();
        if (dirBytes + nameBytes > MAX_ADDRESS_BYTES) {
            throw new HostException("socket path too long: a Unix socket address holds " + MAX_ADDRESS_BYTES
                    + " bytes and the capsule's socket directory takes " + dirBytes + " of them, leaving "
                    + Math.max(0, MAX_ADDRESS_BYTES - dirBytes) + " for the name; '" + name.text() + "' has " + nameBytes);
        }
        try {
            return root.resolve(name.text());
        } catch (InvalidPathException e) {
            throw new HostException("socket path '" + name.text() + "' cannot be represented on this host");
        }
    }

    /**
     * Makes the way to a socket: the directory and any directories the name goes through, then
     * clears a stale socket file of that name.
     *
     * @throws HostException when a component is a link or not a directory, when something other
     *     than a socket has the name, or when a live socket has it
     */
    void prepare(SocketNames.Name name, Path target) {
        ensureRoot();
        Path dir = root;
        List<String> segments = name.segments();
        for (int i = 0; i < segments.size() - 1; i++) {
            dir = dir.resolve(segments.get(i));
            String shown = String.join("/", segments.subList(0, i + 1));
            BasicFileAttributes a = attributes(dir);
            if (a == null) {
                makePrivateDir(dir, "'" + shown + "'");
                made.add(dir);
            } else if (a.isSymbolicLink()) {
                throw new HostException("'" + shown + "' in the socket path is a link; links are not followed");
            } else if (!a.isDirectory()) {
                throw new HostException("'" + shown + "' in the socket path is not a directory");
            }
        }
        BasicFileAttributes a = attributes(target);
        if (a == null) {
            return;
        }
        String shown = "'" + name.text() + "'";
        if (a.isSymbolicLink()) {
            throw new HostException(shown + " exists and is a link, not a socket");
        }
        if (a.isDirectory()) {
            throw new HostException(shown + " is a directory");
        }
        if (!isSocket(target, a)) {
            throw new HostException(shown + " exists and is not a socket");
        }
        if (listening(target)) {
            throw new HostException(shown + " is in use: something outside this capsule's bindings listens on it");
        }
        try {
            Files.delete(target);
        } catch (NoSuchFileException gone) {
            // removed meanwhile: nothing to clear
        } catch (IOException e) {
            throw new HostException("cannot remove the stale socket " + shown + ": " + Reasons.of(e), e);
        }
    }

    /** Removes the socket file of a closed listener. */
    void remove(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // best effort at unload; a stale file is cleared by the next bind of the name
        }
    }

    /** Removes the directories made for socket paths that are empty now, deepest first. */
    void removeMadeDirectories() {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (DirectoryNotEmptyException e) {
                // something else lives there: leave it
            } catch (IOException e) {
                // best effort at unload
            }
        }
        made.clear();
    }

    private void ensureRoot() {
        BasicFileAttributes a = attributes(root);
        if (a == null) {
            makePrivateDir(root, "the capsule's socket directory");
            return;
        }
        if (a.isSymbolicLink()) {
            throw new HostException("the capsule's socket directory is a link; the host does not follow it");
        }
        if (!a.isDirectory()) {
            throw new HostException("the capsule's socket directory is not a directory");
        }
        if (posix) {
            try {
                if (!Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
                    Files.setPosixFilePermissions(root, PRIVATE);
                }
            } catch (IOException e) {
                throw new HostException("cannot make the capsule's socket directory private: " + Reasons.of(e), e);
            }
        }
    }

    private void makePrivateDir(Path dir, String what) {
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                // The umask may have taken bits away; set exactly 0700.
                Files.setPosixFilePermissions(dir, PRIVATE);
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            throw new HostException("cannot create " + what + ": something appeared there meanwhile", e);
        } catch (IOException e) {
            throw new HostException("cannot create " + what + ": " + Reasons.of(e), e);
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new HostException("cannot examine the socket path: " + Reasons.of(e), e);
        }
    }

    private boolean isSocket(Path p, BasicFileAttributes a) {
        if (!unixModes) {
            return a.isOther();
        }
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return a.isOther();
        }
    }

    /** Whether something accepts connections on a socket file: a refused connection means it is stale. */
    private static boolean listening(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Non-blocking, so a listener with a full backlog cannot hold the bind up; pending counts as listening.
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
