package dev.astrid.host.fs.internal;

import dev.astrid.host.fs.CapsuleFileSystem;
import dev.astrid.host.fs.GuestPath;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The byte-level adapter: the seven functions for one capsule.
 *
 * <p>Every call goes the same way: map the guest path ({@link GuestPath#parse}), resolve it in the
 * sandbox ({@link Sandbox}), check the capability on the physical path ({@link PathGate}), then
 * run the layer operation and translate its failure into a {@link HostException} that names the
 * operation and the guest's path, never a host path. A denied call has touched nothing.
 */
public final class CapsuleFs implements CapsuleFileSystem {
    private static final int MAX_CONTENT = PayloadLimits.MAX_GUEST_PAYLOAD;

    private final String capsuleId;
    private final Mount workspace;
    private final Mount home;
    private final Path tmpDir;
    private Mount tmp;
    private final PathGate readGate;
    private final PathGate writeGate;
    private boolean closed;

    /** Which capability list governs an operation. */
    private enum Access {
        READ("fs_read"),
        WRITE("fs_write");

        private final String capability;

        Access(String capability) {
            this.capability = capability;
        }
    }

    /** A checked location, ready for its layer. */
    private record Target(GuestPath path, Mount mount, Rel rel) {
        Layer layer() {
            return mount.layer();
        }
    }

    /** A layer operation. */
    private interface Op<T> {
        T run(Target t) throws IOException;
    }

    /**
     * The functions for one capsule.
     *
     * @param tmpDir the capsule's private temporary directory, made on first use and deleted at unload
     * @param readGate the resolved {@code fs_read} entries
     * @param writeGate the resolved {@code fs_write} entries
     */
    public CapsuleFs(String capsuleId, Mount workspace, Mount home, Path tmpDir, PathGate readGate, PathGate writeGate) {
        this.capsuleId = capsuleId;
        this.workspace = workspace;
        this.home = home;
        this.tmpDir = tmpDir;
        this.readGate = readGate;
        this.writeGate = writeGate;
    }

    @Override
    public synchronized byte[] fsExists(byte[] path) {
        Target t = locate("exists check", path, Access.READ, true);
        try {
            return t.layer().lstat(t.rel()).isPresent() ? "true".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        } catch (IOException | UncheckedIOException | InvalidPathException e) {
            return new byte[0]; // as upstream: a failing look-up answers "no", it does not trap
        }
    }

    @Override
    public synchronized void fsMkdir(byte[] path) {
        Target t = locate("mkdir", path, Access.WRITE, true);
        refuseRoot("mkdir", t);
        run("mkdir", t, x -> {
            x.layer().mkdirs(x.rel());
            return null;
        });
    }

    @Override
    public synchronized byte[] fsReaddir(byte[] path) {
        Target t = locate("readdir", path, Access.READ, true);
        return run("readdir", t, x -> Json.names(x.mount().visible(x.rel(), x.layer().list(x.rel()))));
    }

    @Override
    public synchronized byte[] fsStat(byte[] path) {
        Target t = locate("stat", path, Access.READ, true);
        return run("stat", t, x -> Json.stat(x.layer().lstat(x.rel())
                .orElseThrow(() -> new NoSuchFileException(x.rel().toString()))));
    }

    @Override
    public synchronized void fsUnlink(byte[] path) {
        Target t = locate("unlink", path, Access.WRITE, false);
        refuseRoot("unlink", t);
        run("unlink", t, x -> {
            x.layer().delete(x.rel());
            return null;
        });
    }

    @Override
    public synchronized byte[] readFile(byte[] path) {
        Target t = locate("read_file", path, Access.READ, true);
        return run("read_file", t, x -> x.layer().read(x.rel(), MAX_CONTENT));
    }

    @Override
    public synchronized void writeFile(byte[] path, byte[] content) {
        Objects.requireNonNull(content, "content");
        PayloadLimits.requireAtMost(content, MAX_CONTENT);
        Target t = locate("write_file", path, Access.WRITE, true);
        refuseRoot("write_file", t);
        run("write_file", t, x -> {
            x.layer().write(x.rel(), content);
            return null;
        });
    }

    /** Commits or discards an overlay; later calls are refused. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        workspace.layer().unload();
        home.layer().unload();
        if (tmp != null) {
            deleteTmp();
        }
    }

    /** The temporary directory's mount, made empty on first use in this load. */
    private synchronized Mount tmpMount() {
        if (tmp == null) {
            try {
                deleteTmp(); // left over by a host that stopped without unloading
                Files.createDirectories(tmpDir);
                Path canonical = tmpDir.toRealPath();
                tmp = new Mount(GuestPath.Root.TMP, new DirectLayer(canonical, true), canonical,
                        List.of(canonical, tmpDir.toAbsolutePath().normalize()));
            } catch (IOException e) {
                throw new HostException("the temporary directory of capsule " + capsuleId + " is not usable ("
                        + Reasons.of(e) + ")", e);
            }
        }
        return tmp;
    }

    private void deleteTmp() {
        try {
            Trees.delete(tmpDir);
        } catch (IOException e) {
            throw new HostException("the temporary directory of capsule " + capsuleId + " cannot be emptied ("
                    + Reasons.of(e) + ")", e);
        }
    }

    private Target locate(String op, byte[] raw, Access access, boolean followLast) {
        if (closed) {
            throw new HostException("the file system of capsule " + capsuleId + " is closed");
        }
        GuestPath path = GuestPath.parse(Objects.requireNonNull(raw, "path"));
        Mount mount = path.root() == GuestPath.Root.HOME ? home
                : path.root() == GuestPath.Root.TMP ? tmpMount() : workspace;
        Rel rel = Sandbox.resolve(mount, path, followLast);
        PathGate gate = access == Access.READ ? readGate : writeGate;
        boolean allowed;
        try {
            // The temporary directory is the capsule's own: no capability entry names it.
            allowed = mount == tmp || gate.allows(rel.in(mount.canonical()));
        } catch (InvalidPathException e) {
            throw new HostException(op + " failed: " + Reasons.of(e) + ": " + path);
        }
        if (!allowed) {
            throw new HostException("security denied " + op + ": " + path + " is not covered by the capsule's "
                    + access.capability + " capability");
        }
        return new Target(path, mount, rel);
    }

    private static void refuseRoot(String op, Target t) {
        if (t.rel().isRoot()) {
            throw new HostException(op + " failed: Cannot operate on capability root directly");
        }
    }

    private static <T> T run(String op, Target t, Op<T> action) {
        try {
            return action.run(t);
        } catch (IOException | UncheckedIOException | DirectoryIteratorException | InvalidPathException e) {
            throw new HostException(op + " failed: " + Reasons.of(e) + ": " + t.path(), e);
        }
    }
}
