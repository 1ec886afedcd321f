package dev.astrid.engine.internal;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import dev.astrid.engine.ModuleCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * One module's entry in the on-disk module cache, handed to Chicory's compiler as its
 * {@link Cache}. Chicory asks for the stored classes before compiling and offers what it compiled;
 * this class decides what is trusted. An entry is {@code MAGIC}, an HMAC-SHA256 over the entry's
 * name and payload, then the payload (Chicory's archive of the generated classes). Anything that
 * does not verify is deleted and reported as absent, so Chicory compiles again; every I/O failure
 * is treated the same way, because a cache must never stop a module from loading.
 */
final class ModuleDiskCache implements Cache {
    /** Bumped whenever the entry layout or the compiler settings below change. */
    static final String FORMAT = "astrid-module-cache/1";
    /** The compiler settings {@link CompiledModule} uses; part of every entry's name. */
    static final String COMPILER_SETTINGS = "fallback=SILENT;classes=default";
    private static final byte[] MAGIC = "ASTRMC01".getBytes(StandardCharsets.US_ASCII);
    private static final int MAC_BYTES = 32;
    private static final int KEY_BYTES = 32;
    /** SHA-256's block size; the key (32 bytes) is shorter, so it is zero-padded, never hashed. */
    private static final int BLOCK = 64;
    private static final String SUFFIX = ".entry";
    /** Temporary files older than this are left over from a host that died while writing. */
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    private static final Set<PosixFilePermission> OWNER_FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final ModuleCache settings;
    private final byte[] key;
    private final String name;
    private final Path entry;
    private byte[] preloaded;
    private boolean served;

    private ModuleDiskCache(ModuleCache settings, byte[] key, String name) {
        this.settings = settings;
        this.key = key;
        this.name = name;
        this.entry = settings.directory().resolve(name + SUFFIX);
    }

    /**
     * The entry of a module, or empty when the cache cannot be used (the Chicory version is
     * unknown, the key cannot be read or created, the directory cannot be created).
     */
    static Optional<ModuleDiskCache> open(ModuleCache settings, byte[] wasm) {
        Optional<String> chicory = chicoryVersion();
        if (chicory.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] key = loadOrCreateKey(settings.keyFile());
            createPrivateDirectory(settings.directory());
            return Optional.of(new ModuleDiskCache(settings, key, entryName(chicory.get(), wasm)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The entry's name: SHA-256 over the format, the Chicory version, the compiler settings and the module's SHA-256. */
    static String entryName(String chicoryVersion, byte[] wasm) {
        MessageDigest md = sha256();
        byte[] moduleDigest = md.digest(wasm);
        md.update((FORMAT + "\n" + chicoryVersion + "\n" + COMPILER_SETTINGS + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(moduleDigest);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The version of the Chicory compiler on the module or class path, from its Maven metadata or module descriptor. */
    static Optional<String> chicoryVersion() {
        try (InputStream in = MachineFactoryCompiler.class
                .getResourceAsStream("/META-INF/maven/com.dylibso.chicory/compiler/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return Optional.of(v.trim());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // fall through to the module descriptor
        }
        var descriptor = MachineFactoryCompiler.class.getModule().getDescriptor();
        return descriptor == null ? Optional.empty() : descriptor.rawVersion();
    }

    /** The file this module's entry lives in. */
    Path file() {
        return entry;
    }

    /** Reads and verifies the entry ahead of the compiler; true when there is a verified one for {@link #get} to hand over. */
    boolean preload() {
        preloaded = read();
        return preloaded != null;
    }

    /** Whether {@link #get} returned a verified entry. */
    boolean served() {
        return served;
    }

    @Override
    public byte[] get(String chicoryKey) {
        byte[] payload = preloaded != null ? preloaded : read();
        preloaded = null;
        served = payload != null;
        return payload;
    }

    /** The verified payload of the entry, or null when there is none or it does not verify (then it is deleted). */
    private byte[] read() {
        try {
            long size = Files.size(entry);
            if (size > settings.maxBytes() || size < MAGIC.length + MAC_BYTES) {
                discard();
                return null;
            }
            byte[] stored = Files.readAllBytes(entry);
            if (stored.length < MAGIC.length + MAC_BYTES
                    || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                discard();
                return null;
            }
            byte[] payload = Arrays.copyOfRange(stored, MAGIC.length + MAC_BYTES, stored.length);
            byte[] mac = Arrays.copyOfRange(stored, MAGIC.length, MAGIC.length + MAC_BYTES);
            if (!MessageDigest.isEqual(mac, mac(payload))) {
                discard();
                return null;
            }
            touch();
            return payload;
        } catch (IOException | RuntimeException e) {
            return null; // absent or unreadable: compile
        }
    }

    @Override
    public void putIfAbsent(String chicoryKey, byte[] payload) {
        long size = (long) MAGIC.length + MAC_BYTES + payload.length;
        if (size > settings.maxBytes()) {
            return;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(settings.directory(), "." + name + "-", ".tmp", ownerOnly());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(MAGIC));
                ch.write(ByteBuffer.wrap(mac(payload)));
                ch.write(ByteBuffer.wrap(payload));
            }
            // Whoever renames last wins; every writer's entry is complete and valid. Nothing is
            // forced to disk: an entry torn by a crash fails its MAC and is replaced.
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            evict();
        } catch (IOException | RuntimeException e) {
            // not stored: the module was compiled and runs; the next load compiles again
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is swept by a later eviction
                }
            }
        }
    }

    /** Deletes this module's entry (it did not verify, or Chicory could not load it). */
    void discard() {
        served = false;
        preloaded = null;
        try {
            Files.deleteIfExists(entry);
        } catch (IOException ignored) {
            // the next writer replaces it
        }
    }

    /**
     * HMAC-SHA256 (RFC 2104) over the entry's name and the payload, built on {@link MessageDigest}:
     * {@code javax.crypto.Mac} costs about 100 ms of provider start-up in a fresh JVM, on every
     * start, which is what this cache is meant to save.
     */
    private byte[] mac(byte[] payload) {
        return hmacSha256(key, name.getBytes(StandardCharsets.US_ASCII), payload);
    }

    /** HMAC-SHA256 of {@code a} followed by {@code b} under a key of at most one block. */
    static byte[] hmacSha256(byte[] key, byte[] a, byte[] b) {
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        MessageDigest md = sha256();
        md.update(inner);
        md.update(a);
        byte[] innerHash = md.digest(b);
        md.update(outer);
        return md.digest(innerHash);
    }

    /** Marks the entry as just used: eviction goes by this time (access times are often not kept). */
    private void touch() {
        try {
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // it is evicted a little early
        }
    }

    /** Deletes the least recently used entries until the total fits the bound, and stale temporary files. */
    private void evict() throws IOException {
        record Item(Path path, long size, FileTime used) {}
        List<Item> items = new ArrayList<>();
        FileTime staleBefore = FileTime.from(Instant.now().minus(STALE_TEMP));
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(settings.directory())) {
            for (Path p : dir) {
                String file = p.getFileName().toString();
                try {
                    if (file.endsWith(SUFFIX)) {
                        items.add(new Item(p, Files.size(p), Files.getLastModifiedTime(p)));
                    } else if (file.endsWith(".tmp") && Files.getLastModifiedTime(p).compareTo(staleBefore) < 0) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException e) {
                    // removed by another host meanwhile
                }
            }
        }
        long total = items.stream().mapToLong(Item::size).sum();
        items.sort(Comparator.comparing(Item::used));
        for (Item item : items) {
            if (total <= settings.maxBytes()) {
                break;
            }
            Files.deleteIfExists(item.path());
            total -= item.size();
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Reads the HMAC key, creating it with a new random key the first time and replacing one of the
     * wrong length. A key others may read is refused (the cache is then not used).
     */
    static byte[] loadOrCreateKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            createKey(file);
        }
        byte[] raw = readKey(file);
        if (raw.length != KEY_BYTES) {
            // Torn by a crash (the key is not forced to disk): a new key only costs recompiles.
            Files.deleteIfExists(file);
            createKey(file);
            raw = readKey(file);
        }
        if (raw.length != KEY_BYTES) {
            throw new IOException("the module cache key file " + file + " must hold " + KEY_BYTES + " bytes");
        }
        return raw;
    }

    private static byte[] readKey(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null && !OWNER_FILE.containsAll(view.readAttributes().permissions())) {
            throw new IOException("the module cache key file " + file + " is open to other users");
        }
        return Files.readAllBytes(file);
    }

    /** Writes a new key privately and links it into place, so that hosts racing to create it all end up with one key. */
    private static void createKey(Path file) throws IOException {
        createPrivateDirectory(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(file.getParent(), ".module-cache-key-", ".tmp", ownerOnly());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(key));
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // another host created it first; everyone uses that one
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
