package dev.astrid.host.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that seals secret values at rest, in a file kept outside the data directory:
 * by default {@code $XDG_CONFIG_HOME/astrid/secrets.key}, else {@code ~/.config/astrid/secrets.key}.
 * The file holds 32 random bytes, is created with mode 0600 (its directory 0700) the first time a
 * key is needed, and is refused when other users may read it or when it lies inside the
 * directory it is meant to protect.
 */
public final class SecretKeyFile {
    /** Length of the key in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final Path file;

    private SecretKeyFile(Path file) {
        this.file = file;
    }

    /**
     * The key file: the configured one, else the default for this user.
     *
     * @param configured a path from the {@code secrets.key-file} setting, if any
     */
    public static SecretKeyFile of(Optional<String> configured) {
        return new SecretKeyFile(configured.map(Path::of).orElseGet(() -> defaultFile(System.getenv(),
                System.getProperty("user.home"))).toAbsolutePath().normalize());
    }

    /** The default location for an environment and home directory (a relative XDG_CONFIG_HOME is ignored, as the spec says). */
    static Path defaultFile(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(userHome, ".config");
        return config.resolve("astrid").resolve("secrets.key");
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Whether the file exists. */
    boolean exists() {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Refuses a key file inside a directory: a key stored beside what it seals protects nothing.
     *
     * @throws KvException naming both paths
     */
    public void requireOutside(Path dir, String what) {
        if (canonical(file).startsWith(canonical(dir))) {
            throw new KvException("the secrets key file " + file + " lies inside " + what + " " + dir
                    + "; keep it elsewhere (setting secrets.key-file)");
        }
    }

    /** The path with its existing part resolved through links, so that a link cannot hide where it lies. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * Reads the key.
     *
     * @throws KvException when the file is missing, has the wrong length or others may read it
     */
    SecretKey load() {
        try {
            checkPermissions();
            byte[] raw = Files.readAllBytes(file);
            if (raw.length != KEY_BYTES) {
                throw new KvException("the secrets key file " + file + " must hold exactly " + KEY_BYTES
                        + " bytes, it holds " + raw.length);
            }
            return new SecretKeySpec(raw, "AES");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KvException("the secrets key file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new KvException("cannot read the secrets key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the key, creating the file with a new random key when it does not exist yet. */
    SecretKey loadOrCreate(SecureRandom random) {
        if (!exists()) {
            create(random);
        }
        return load();
    }

    private void checkPermissions() throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new KvException("the secrets key file " + file + " is open to other users (" + PosixFilePermissions.toString(perms)
                    + "); run chmod 600 " + file);
        }
    }

    /** Writes a new key to a private temporary file and links it into place, so that a racing host keeps its own. */
    private void create(SecureRandom random) {
        Path dir = file.getParent();
        boolean posix = Files.getFileAttributeView(dir.getRoot(), PosixFileAttributeView.class) != null;
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        Path tmp = null;
        try {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
            FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, ".secrets-key-", ".tmp", attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(key));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // Another host created it first; everyone uses that one.
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
        } catch (IOException e) {
            throw new KvException("cannot create the secrets key file " + file + ": " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover private temporary file holds a key nobody uses
                }
            }
        }
    }
}
