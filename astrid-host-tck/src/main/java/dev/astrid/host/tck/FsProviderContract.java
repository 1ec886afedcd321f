package dev.astrid.host.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.FsFunctions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The observable contract of the file-system family ({@code astrid_fs_*}, {@code astrid_read_file},
 * {@code astrid_write_file}): byte formats, traps, the sandbox, capability checks, limits and
 * atomic writes, as documented in {@code docs/families/fs.md}.
 *
 * <p>A provider proves itself by extending this class and implementing {@link #createProvider()};
 * a provider with modes runs it once per mode by overriding {@link #settings()}. The contract only
 * observes the provider through its functions and the real directories of the test host: it seeds
 * the workspace before binding and never looks at where a provider keeps pending writes. The home
 * root (behind {@code global://} and {@code home://}) is written directly, so the contract checks it
 * on disk.
 */
public abstract class FsProviderContract extends ProviderContract<FsFunctions> {

    /** Read and write anywhere in the workspace. */
    protected static final Capabilities READ_WRITE = Capabilities.builder().fsRead("*").fsWrite("*").build();
    /** Read anywhere in the workspace, write nowhere. */
    protected static final Capabilities READ_ONLY = Capabilities.builder().fsRead("*").build();
    /** Read and write the workspace and the whole home root. */
    protected static final Capabilities WITH_HOME =
            Capabilities.builder().fsRead("*", "global://").fsWrite("*", "home://").build();

    private static final int MAX = PayloadLimits.MAX_GUEST_PAYLOAD;
    private static final Pattern STAT = Pattern.compile("\\{\"size\":(\\d+),\"isDir\":(true|false),\"mtime\":(\\d+)\\}");

    private final List<Object> bound = new ArrayList<>();
    private int capsuleCount;

    @Override
    protected final Family family() {
        return Family.FS;
    }

    /** The provider is found as a host finds it: its module provides it and ServiceLoader loads it. */
    @Test
    void isRegisteredForServiceLoader() {
        assertRegisteredAsService();
    }

    /** Provider settings given to every capsule the contract binds; none by default. */
    protected ProviderSettings settings() {
        return ProviderSettings.empty();
    }

    /** The directory behind {@code global://} and {@code home://}: {@code <host data>/home} by default. */
    protected Path homeRoot() {
        return host.dataDir().resolve("home");
    }

    /** Binds a new capsule with these capabilities and {@link #settings()}. */
    protected FsFunctions fs(Capabilities caps) {
        return fs(host, caps);
    }

    /** Binds a new capsule of another test host with these capabilities and {@link #settings()}. */
    protected FsFunctions fs(TestCapsule.Host on, Capabilities caps) {
        TestCapsule capsule = on.capsule("fs-contract-" + (++capsuleCount)).capabilities(caps).settings(settings()).build();
        FsFunctions fs = bind(capsule);
        bound.add(fs);
        return fs;
    }

    /** Binds a new capsule that may read and write the whole workspace. */
    protected FsFunctions fs() {
        return fs(READ_WRITE);
    }

    /** Closes every bound capsule, as an unload would; a failing close fails the test. */
    @AfterEach
    void closeBoundCapsules() throws Exception {
        for (Object o : bound) {
            if (o instanceof AutoCloseable) {
                ((AutoCloseable) o).close();
            }
        }
        bound.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** A file in the workspace, on the host. */
    protected Path ws(String relative) {
        return host.workspace().resolve(relative);
    }

    /** Writes a file into the workspace directly, creating its parents. */
    protected Path seed(String relative, String content) {
        return seed(relative, b(content));
    }

    /** Writes a file into the workspace directly, creating its parents. */
    protected Path seed(String relative, byte[] content) {
        try {
            Path p = ws(relative);
            Files.createDirectories(p.getParent());
            return Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory in the workspace directly. */
    protected Path seedDir(String relative) {
        try {
            return Files.createDirectories(ws(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory outside every root, with a file {@code secret.txt} holding {@code secret}. */
    protected Path outside() {
        try {
            Path dir = Files.createDirectories(tempDir.resolve("outside"));
            Files.writeString(dir.resolve("secret.txt"), "secret");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a symbolic link, skipping the test where the platform cannot. */
    protected static void link(Path link, Path target) {
        try {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, target);
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("symbolic links are not available here: " + e);
        }
    }

    /** Deletes a host file, link or directory tree, never following a link. */
    protected static void deleteTree(Path p) {
        try (var all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that a call either traps or answers something other than {@code true}. */
    protected static void notTrue(String what, Supplier<byte[]> call) {
        byte[][] answer = new byte[1][];
        Throwable t = catchThrowable(() -> answer[0] = call.get());
        if (t == null) {
            assertThat(s(answer[0])).as(what).isEmpty();
        } else {
            assertThat(t).as(what).isInstanceOf(HostException.class);
        }
    }

    /** The names a readdir answers, or none when it traps (a trap shows no name either). */
    protected static List<String> namesOrNone(Supplier<byte[]> readdir) {
        byte[][] answer = new byte[1][];
        Throwable t = catchThrowable(() -> answer[0] = readdir.get());
        if (t != null) {
            assertThat(t).isInstanceOf(HostException.class);
            return List.of();
        }
        return names(answer[0]);
    }

    /** Content of a host file as a string. */
    protected static String contentOf(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every function of the family called on one path, by name. */
    protected static Map<String, Runnable> everyFunction(FsFunctions fs, byte[] path) {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("fs_exists", () -> fs.fsExists(path));
        calls.put("fs_mkdir", () -> fs.fsMkdir(path));
        calls.put("fs_readdir", () -> fs.fsReaddir(path));
        calls.put("fs_stat", () -> fs.fsStat(path));
        calls.put("fs_unlink", () -> fs.fsUnlink(path));
        calls.put("read_file", () -> fs.readFile(path));
        calls.put("write_file", () -> fs.writeFile(path, b("x")));
        return calls;
    }

    /** Asserts that every function traps on the path with a message containing {@code words}. */
    protected static void everyFunctionTraps(FsFunctions fs, byte[] path, String words) {
        everyFunction(fs, path).forEach((name, call) ->
                assertHostError(call).as(name).hasMessageContaining(words));
    }

    /** Parses a JSON array of strings, the output of readdir; fails on anything else. */
    protected static List<String> names(byte[] json) {
        String s = s(json).strip();
        List<String> out = new ArrayList<>();
        assertThat(s).as("readdir output").startsWith("[").endsWith("]");
        int i = 1;
        int end = s.length() - 1;
        i = skipSpace(s, i);
        while (i < end) {
            assertThat(s.charAt(i)).as("string expected at %d in %s", i, s).isEqualTo('"');
            StringBuilder name = new StringBuilder();
            i++;
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> name.append('\n');
                        case 't' -> name.append('\t');
                        case 'r' -> name.append('\r');
                        case 'b' -> name.append('\b');
                        case 'f' -> name.append('\f');
                        case 'u' -> {
                            name.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> name.append(e);
                    }
                } else {
                    name.append(c);
                }
            }
            out.add(name.toString());
            i = skipSpace(s, i + 1);
            if (i < end) {
                assertThat(s.charAt(i)).as("comma expected at %d in %s", i, s).isEqualTo(',');
                i = skipSpace(s, i + 1);
            }
        }
        return out;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The parts of a stat answer: size, isDir, mtime. Fails unless the format is exact. */
    protected static long[] stat(byte[] json) {
        Matcher m = STAT.matcher(s(json));
        assertThat(m.matches()).as("stat output %s", s(json)).isTrue();
        return new long[] {Long.parseLong(m.group(1)), m.group(2).equals("true") ? 1 : 0, Long.parseLong(m.group(3))};
    }

    /** {@code astrid_fs_exists}. */
    @Nested
    class Exists {
        @Test
        void existsAnswersAsciiTrueOrEmpty() {
            seed("notes/a.txt", "hello");
            FsFunctions fs = fs();
            assertThat(fs.fsExists(b("notes/a.txt"))).isEqualTo(b("true"));
            assertThat(fs.fsExists(b("notes"))).isEqualTo(b("true"));
            assertThat(fs.fsExists(b("notes/missing.txt"))).isEmpty();
            assertThat(fs.fsExists(b("missing/deeper/x"))).isEmpty();
        }

        @Test
        void existsOfTheEmptyPathIsTrue() {
            assertThat(fs().fsExists(new byte[0])).isEqualTo(b("true"));
        }

        @Test
        void existsBelowAFileIsEmptyNotATrap() {
            seed("a.txt", "x");
            assertThat(fs().fsExists(b("a.txt/b"))).isEmpty();
        }
    }

    /** {@code astrid_read_file} and {@code astrid_write_file}. */
    @Nested
    class ReadAndWrite {
        @Test
        void readFileReturnsTheExactBytes() {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            seed("bin/all.bytes", all);
            assertThat(fs().readFile(b("bin/all.bytes"))).isEqualTo(all);
        }

        @Test
        void readFileOfAnEmptyFileIsEmpty() {
            seed("empty.txt", new byte[0]);
            assertThat(fs().readFile(b("empty.txt"))).isEmpty();
        }

        @Test
        void writeThenReadRoundTrips() {
            FsFunctions fs = fs();
            fs.writeFile(b("out.txt"), b("first version"));
            assertThat(s(fs.readFile(b("out.txt")))).isEqualTo("first version");
        }

        @Test
        void writeReplacesTheWholeContent() {
            FsFunctions fs = fs();
            fs.writeFile(b("out.txt"), b("a long first version"));
            fs.writeFile(b("out.txt"), b("short"));
            assertThat(s(fs.readFile(b("out.txt")))).isEqualTo("short");
            fs.writeFile(b("out.txt"), new byte[0]);
            assertThat(fs.readFile(b("out.txt"))).isEmpty();
        }

        @Test
        void writeReplacesAWorkspaceFile() {
            seed("config.toml", "old");
            FsFunctions fs = fs();
            fs.writeFile(b("config.toml"), b("new"));
            assertThat(s(fs.readFile(b("config.toml")))).isEqualTo("new");
        }

        @Test
        void writeCreatesMissingParents() {
            FsFunctions fs = fs();
            fs.writeFile(b("a/b/c/deep.txt"), b("deep"));
            assertThat(s(fs.readFile(b("a/b/c/deep.txt")))).isEqualTo("deep");
            assertThat(stat(fs.fsStat(b("a/b")))[1]).isEqualTo(1);
        }

        @Test
        void writeLeavesNoTemporaryFileBehind() {
            FsFunctions fs = fs();
            fs.writeFile(b("dir/one.txt"), b("1"));
            fs.writeFile(b("dir/one.txt"), b("11"));
            fs.writeFile(b("dir/two.txt"), b("2"));
            assertThat(names(fs.fsReaddir(b("dir")))).containsExactly("one.txt", "two.txt");
        }

        @Test
        void readFileOfAMissingFileTrapsWithTheGuestPath() {
            assertHostError(() -> fs().readFile(b("notes/missing.txt")))
                    .hasMessageContaining("read_file failed")
                    .hasMessageContaining("notes/missing.txt")
                    .satisfies(e -> assertThat(e.getMessage())
                            .doesNotStartWith("astrid_")
                            .doesNotContain(host.workspace().toString()));
        }

        @Test
        void readFileOfADirectoryTraps() {
            seedDir("docs");
            FsFunctions fs = fs();
            assertHostError(() -> fs.readFile(b("docs"))).hasMessageContaining("read_file failed").hasMessageContaining("directory");
            assertHostError(() -> fs.readFile(new byte[0])).hasMessageContaining("read_file failed");
        }

        @Test
        void writeOverADirectoryTrapsAndKeepsIt() {
            seed("docs/keep.txt", "keep");
            FsFunctions fs = fs();
            assertHostError(() -> fs.writeFile(b("docs"), b("x"))).hasMessageContaining("write_file failed");
            assertThat(s(fs.readFile(b("docs/keep.txt")))).isEqualTo("keep");
        }

        @Test
        void writeBelowAFileTraps() {
            seed("a.txt", "file");
            FsFunctions fs = fs();
            assertHostError(() -> fs.writeFile(b("a.txt/b.txt"), b("x"))).hasMessageContaining("write_file failed");
            assertThat(s(fs.readFile(b("a.txt")))).isEqualTo("file");
        }

        @Test
        void writeOfTheRootTraps() {
            assertHostError(() -> fs().writeFile(new byte[0], b("x"))).hasMessageContaining("write_file failed");
        }

        @Test
        void dotfilesAndNonAsciiNamesWork() {
            FsFunctions fs = fs();
            fs.writeFile(b(".env"), b("A=1"));
            assertThat(s(fs.readFile(b(".env")))).isEqualTo("A=1");
            Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8")),
                    "file names are not UTF-8 on this JVM");
            fs.writeFile(b("résumé-日本.txt"), b("ok"));
            assertThat(s(fs.readFile(b("résumé-日本.txt")))).isEqualTo("ok");
            assertThat(names(fs.fsReaddir(new byte[0]))).contains("résumé-日本.txt", ".env");
        }
    }

    /** Size limits of files and paths. */
    @Nested
    class Limits {
        @Test
        void writeOfExactlyTenMebibytesWorks() {
            byte[] content = new byte[MAX];
            Arrays.fill(content, (byte) 'z');
            FsFunctions fs = fs();
            fs.writeFile(b("big.bin"), content);
            assertThat(fs.readFile(b("big.bin"))).isEqualTo(content);
        }

        @Test
        void writeOverTenMebibytesTrapsAndWritesNothing() {
            FsFunctions fs = fs();
            assertHostError(() -> fs.writeFile(b("huge.bin"), new byte[MAX + 1]))
                    .hasMessageContaining(String.valueOf(MAX + 1))
                    .hasMessageContaining(String.valueOf(MAX));
            assertThat(fs.fsExists(b("huge.bin"))).isEmpty();
        }

        @Test
        void failedWriteKeepsThePreviousContent() {
            FsFunctions fs = fs();
            fs.writeFile(b("keep.txt"), b("previous"));
            assertHostError(() -> fs.writeFile(b("keep.txt"), new byte[MAX + 1]));
            assertThat(s(fs.readFile(b("keep.txt")))).isEqualTo("previous");
        }

        @Test
        void readOfAFileOverTenMebibytesTrapsWithItsSize() throws IOException {
            try (RandomAccessFile f = new RandomAccessFile(seed("huge.bin", new byte[0]).toFile(), "rw")) {
                f.setLength(MAX + 1L); // sparse: the test itself does not need the memory
            }
            assertHostError(() -> fs().readFile(b("huge.bin")))
                    .hasMessageContaining("read_file failed")
                    .hasMessageContaining(String.valueOf(MAX + 1));
        }

        @Test
        void pathsOfMoreThan4096BytesTrap() {
            byte[] tooLong = b("a".repeat(PayloadLimits.MAX_PATH + 1));
            everyFunctionTraps(fs(), tooLong, String.valueOf(PayloadLimits.MAX_PATH));
        }

        @Test
        void aPathOfExactly4096BytesIsNotRefusedForItsLength() {
            String path = ("d".repeat(200) + "/").repeat(20);
            path = path + "f".repeat(PayloadLimits.MAX_PATH - path.length());
            assertThat(b(path)).hasSize(PayloadLimits.MAX_PATH);
            // Missing (or too long for the host): either way exists answers "no" without trapping.
            assertThat(fs().fsExists(b(path))).isEmpty();
        }
    }

    /** {@code astrid_fs_stat}. */
    @Nested
    class Stat {
        @Test
        void statOfAFileHasTheExactFormat() throws IOException {
            Path p = seed("notes/a.txt", "hello");
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
            assertThat(s(fs().fsStat(b("notes/a.txt")))).isEqualTo("{\"size\":5,\"isDir\":false,\"mtime\":1609459200}");
        }

        @Test
        void statOfDirectoriesAndTheRoot() {
            seedDir("docs");
            FsFunctions fs = fs();
            assertThat(stat(fs.fsStat(b("docs")))[1]).isEqualTo(1);
            assertThat(stat(fs.fsStat(new byte[0]))[1]).isEqualTo(1);
            assertThat(stat(fs.fsStat(b("/")))[1]).isEqualTo(1);
        }

        @Test
        void statSeesWrittenFiles() {
            FsFunctions fs = fs();
            fs.writeFile(b("w.txt"), b("12345678"));
            long[] st = stat(fs.fsStat(b("w.txt")));
            assertThat(st[0]).isEqualTo(8);
            assertThat(st[1]).isZero();
            assertThat(st[2]).isPositive();
        }

        @Test
        void statOfAMissingPathTraps() {
            assertHostError(() -> fs().fsStat(b("nope.txt")))
                    .hasMessageContaining("stat failed")
                    .hasMessageContaining("nope.txt");
        }
    }

    /** {@code astrid_fs_readdir}. */
    @Nested
    class Readdir {
        @Test
        void readdirListsSortedNamesWithDotfilesAndWithoutDotEntries() {
            seed("dir/z.txt", "");
            seed("dir/a.txt", "");
            seed("dir/.hidden", "");
            seedDir("dir/b");
            assertThat(s(fs().fsReaddir(b("dir")))).isEqualTo("[\".hidden\",\"a.txt\",\"b\",\"z.txt\"]");
        }

        @Test
        void readdirOfAnEmptyDirectoryIsAnEmptyArray() {
            seedDir("empty");
            assertThat(s(fs().fsReaddir(b("empty")))).isEqualTo("[]");
        }

        @Test
        void readdirOfTheRoot() {
            seed("top.txt", "");
            seedDir("sub");
            FsFunctions fs = fs();
            assertThat(names(fs.fsReaddir(new byte[0]))).containsExactly("sub", "top.txt");
            assertThat(names(fs.fsReaddir(b("/")))).containsExactly("sub", "top.txt");
        }

        @Test
        void readdirOfAWorkspaceSubdirectoryWorksBeforeAnyWrite() {
            seed("src/main/App.java", "class App {}");
            assertThat(names(fs().fsReaddir(b("src/main")))).containsExactly("App.java");
        }

        @Test
        void readdirMergesWorkspaceEntriesWithWrites() {
            seed("mix/old.txt", "");
            FsFunctions fs = fs();
            fs.writeFile(b("mix/new.txt"), b(""));
            fs.fsMkdir(b("mix/sub"));
            assertThat(names(fs.fsReaddir(b("mix")))).containsExactly("new.txt", "old.txt", "sub");
        }

        @Test
        void readdirEscapesNamesAsJsonStrings() {
            seed("odd/quo\"te", "");
            seed("odd/back\\slash", "");
            seed("odd/tab\tname", "");
            seed("odd/<tag>&", "");
            List<String> names = names(fs().fsReaddir(b("odd")));
            assertThat(names).containsExactlyInAnyOrder("quo\"te", "back\\slash", "tab\tname", "<tag>&");
        }

        @Test
        void readdirOfAFileOrAMissingPathTraps() {
            seed("a.txt", "");
            FsFunctions fs = fs();
            assertHostError(() -> fs.fsReaddir(b("a.txt"))).hasMessageContaining("readdir failed").hasMessageContaining("a.txt");
            assertHostError(() -> fs.fsReaddir(b("missing"))).hasMessageContaining("readdir failed");
        }
    }

    /** {@code astrid_fs_mkdir}. */
    @Nested
    class Mkdir {
        @Test
        void mkdirIsRecursiveAndIdempotent() {
            FsFunctions fs = fs();
            fs.fsMkdir(b("x/y/z"));
            fs.fsMkdir(b("x/y/z"));
            fs.fsMkdir(b("x/y"));
            assertThat(names(fs.fsReaddir(b("x/y")))).containsExactly("z");
            assertThat(fs.fsExists(b("x/y/z"))).isEqualTo(b("true"));
        }

        @Test
        void mkdirOfAnExistingWorkspaceDirectoryIsFine() {
            seed("docs/a.txt", "a");
            FsFunctions fs = fs();
            fs.fsMkdir(b("docs"));
            assertThat(names(fs.fsReaddir(b("docs")))).containsExactly("a.txt");
        }

        @Test
        void mkdirOverAFileTraps() {
            seed("a.txt", "file");
            FsFunctions fs = fs();
            assertHostError(() -> fs.fsMkdir(b("a.txt"))).hasMessageContaining("mkdir failed").hasMessageContaining("a.txt");
            assertHostError(() -> fs.fsMkdir(b("a.txt/sub"))).hasMessageContaining("mkdir failed");
            assertThat(s(fs.readFile(b("a.txt")))).isEqualTo("file");
        }

        @Test
        void mkdirAndUnlinkOfTheRootTrap() {
            FsFunctions fs = fs();
            for (String root : List.of("", "/", ".", "a/..")) {
                assertHostError(() -> fs.fsMkdir(b(root))).as("mkdir %s", root)
                        .hasMessageContaining("mkdir failed").hasMessageContaining("capability root");
                assertHostError(() -> fs.fsUnlink(b(root))).as("unlink %s", root)
                        .hasMessageContaining("unlink failed").hasMessageContaining("capability root");
            }
        }
    }

    /** {@code astrid_fs_unlink}. */
    @Nested
    class Unlink {
        @Test
        void unlinkRemovesAWrittenFile() {
            FsFunctions fs = fs();
            fs.writeFile(b("tmp.txt"), b("x"));
            fs.fsUnlink(b("tmp.txt"));
            assertThat(fs.fsExists(b("tmp.txt"))).isEmpty();
            assertHostError(() -> fs.readFile(b("tmp.txt"))).hasMessageContaining("read_file failed");
        }

        @Test
        void unlinkRemovesAWorkspaceFile() {
            seed("old/a.txt", "a");
            seed("old/b.txt", "b");
            FsFunctions fs = fs();
            fs.fsUnlink(b("old/a.txt"));
            assertThat(fs.fsExists(b("old/a.txt"))).isEmpty();
            assertThat(names(fs.fsReaddir(b("old")))).containsExactly("b.txt");
            assertHostError(() -> fs.fsStat(b("old/a.txt"))).hasMessageContaining("stat failed");
        }

        @Test
        void unlinkRemovesEmptyDirectories() {
            seedDir("gone/empty");
            FsFunctions fs = fs();
            fs.fsMkdir(b("fresh"));
            fs.fsUnlink(b("fresh"));
            fs.fsUnlink(b("gone/empty"));
            fs.fsUnlink(b("gone"));
            assertThat(fs.fsExists(b("fresh"))).isEmpty();
            assertThat(fs.fsExists(b("gone"))).isEmpty();
        }

        @Test
        void unlinkOfANonEmptyDirectoryTrapsAndKeepsEverything() {
            seed("full/keep.txt", "keep");
            FsFunctions fs = fs();
            fs.writeFile(b("full/mine.txt"), b("mine"));
            assertHostError(() -> fs.fsUnlink(b("full"))).hasMessageContaining("unlink failed").hasMessageContaining("not empty");
            assertThat(names(fs.fsReaddir(b("full")))).containsExactly("keep.txt", "mine.txt");
        }

        @Test
        void unlinkOfAMissingPathTraps() {
            assertHostError(() -> fs().fsUnlink(b("never.txt")))
                    .hasMessageContaining("unlink failed")
                    .hasMessageContaining("never.txt");
        }

        @Test
        void aRemovedFileCanBeWrittenAgain() {
            seed("cycle.txt", "one");
            FsFunctions fs = fs();
            fs.fsUnlink(b("cycle.txt"));
            fs.writeFile(b("cycle.txt"), b("two"));
            assertThat(s(fs.readFile(b("cycle.txt")))).isEqualTo("two");
            fs.fsUnlink(b("cycle.txt"));
            fs.fsMkdir(b("cycle.txt"));
            assertThat(stat(fs.fsStat(b("cycle.txt")))[1]).isEqualTo(1);
        }

        @Test
        void aRemovedDirectoryComesBackEmpty() {
            seed("d/x.txt", "x");
            FsFunctions fs = fs();
            fs.fsUnlink(b("d/x.txt"));
            fs.fsUnlink(b("d"));
            fs.fsMkdir(b("d"));
            assertThat(s(fs.fsReaddir(b("d")))).isEqualTo("[]");
            assertThat(fs.fsExists(b("d/x.txt"))).isEmpty();
        }
    }

    /** Path mapping and the sandbox, for every function. */
    @Nested
    class PathsAndSandbox {
        @Test
        void aLeadingSlashIsRelativeToTheRoot() {
            FsFunctions fs = fs();
            fs.writeFile(b("/notes/a.txt"), b("rooted"));
            assertThat(s(fs.readFile(b("notes/a.txt")))).isEqualTo("rooted");
            assertThat(s(fs.readFile(b("//notes/./a.txt")))).isEqualTo("rooted");
        }

        @Test
        void dotDotInsideTheRootIsResolvedLexically() {
            FsFunctions fs = fs();
            fs.writeFile(b("a/../b.txt"), b("b"));
            assertThat(s(fs.readFile(b("b.txt")))).isEqualTo("b");
            // upstream dropped a ".." after a missing name and wrote new/x.txt instead
            fs.writeFile(b("new/../x.txt"), b("x"));
            assertThat(s(fs.readFile(b("x.txt")))).isEqualTo("x");
            assertThat(fs.fsExists(b("new"))).isEmpty();
        }

        @Test
        void dotDotAboveTheRootTrapsForEveryFunction() {
            Path secret = outside().resolve("secret.txt");
            FsFunctions fs = fs();
            for (String p : List.of("..", "../outside/secret.txt", "a/../../outside/secret.txt", "new/../../etc/passwd",
                    "/../x", "../../../../../../etc/passwd")) {
                everyFunctionTraps(fs, b(p), "escapes root boundary");
            }
            assertThat(contentOf(secret)).isEqualTo("secret");
            assertThat(tempDir.resolve("x")).doesNotExist();
        }

        @Test
        void escapeMessagesShowTheGuestPathOnly() {
            assertHostError(() -> fs().readFile(b("../outside/secret.txt")))
                    .hasMessageContaining("path escapes root boundary")
                    .hasMessageContaining("../outside/secret.txt")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tempDir.toString()));
        }

        @Test
        void nulBytesTrapForEveryFunction() {
            FsFunctions fs = fs();
            everyFunctionTraps(fs, b("a\0b.txt"), "NUL");
            everyFunctionTraps(fs, new byte[] {0}, "NUL");
        }

        @Test
        void invalidUtf8TrapsForEveryFunction() {
            FsFunctions fs = fs();
            for (byte[] bad : List.of(
                    new byte[] {(byte) 0xff},
                    new byte[] {'a', (byte) 0xc3},
                    new byte[] {(byte) 0xc0, (byte) 0xaf},
                    new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                    new byte[] {'d', 'i', 'r', '/', (byte) 0x80, 'x'})) {
                everyFunctionTraps(fs, bad, "not valid UTF-8");
            }
            assertThat(names(fs.fsReaddir(new byte[0]))).as("nothing was created").isEmpty();
        }

        @Test
        void badInputNeverEscapesAsAnotherException() {
            seed("file.txt", "f");
            seedDir("dir");
            FsFunctions fs = fs();
            List<byte[]> inputs = new ArrayList<>();
            for (String p : List.of("", "/", ".", "..", "//", "./.", "a//b", "file.txt/x", "dir", "file.txt", "global://",
                    "home://..", "x".repeat(300), "dir/" + "y".repeat(300), "\\", "C:\\Windows", "~", "*", "?", "\n",
                    "workspace://a", "cwd://", " ")) {
                inputs.add(b(p));
            }
            inputs.add(new byte[] {(byte) 0xfe, (byte) 0xff});
            inputs.add(new byte[PayloadLimits.MAX_PATH + 10]);
            for (byte[] in : inputs) {
                everyFunction(fs, in).forEach((name, call) -> {
                    Throwable t = catchThrowable(call::run);
                    assertThat(t).as("%s(%s)", name, s(in)).satisfiesAnyOf(
                            x -> assertThat(x).isNull(),
                            x -> assertThat(x).isInstanceOf(HostException.class));
                });
            }
            try (var top = Files.list(tempDir)) {
                assertThat(top.map(p -> p.getFileName().toString())).as("nothing written beside the roots")
                        .containsExactlyInAnyOrder("workspace", "data");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Test
        void aSymbolicLinkInsideTheRootIsFollowed() {
            seed("real/docs/guide.md", "guide");
            link(ws("docs"), Path.of("real/docs"));
            FsFunctions fs = fs();
            assertThat(s(fs.readFile(b("docs/guide.md")))).isEqualTo("guide");
            assertThat(names(fs.fsReaddir(b("docs")))).containsExactly("guide.md");
            fs.writeFile(b("docs/new.md"), b("new"));
            assertThat(s(fs.readFile(b("real/docs/new.md")))).isEqualTo("new");
        }

        @Test
        void anAbsoluteLinkIntoTheRootIsFollowed() {
            seed("real/file.txt", "inside");
            link(ws("abs"), ws("real").toAbsolutePath());
            assertThat(s(fs().readFile(b("abs/file.txt")))).isEqualTo("inside");
        }

        @Test
        void aSymbolicLinkOutOfTheRootTrapsAtEveryDepth() {
            Path out = outside();
            link(ws("top"), out);
            link(ws("a/b/c/deep"), Path.of("../../../../outside"));
            link(ws("leak.txt"), out.resolve("secret.txt"));
            link(ws("dangling"), out.resolve("not-yet.txt"));
            FsFunctions fs = fs();
            for (String p : List.of("top/secret.txt", "a/b/c/deep/secret.txt", "leak.txt")) {
                assertHostError(() -> fs.readFile(b(p))).as(p).hasMessageContaining("escapes root boundary");
                assertHostError(() -> fs.fsStat(b(p))).as(p).hasMessageContaining("escapes root boundary");
                assertHostError(() -> fs.fsExists(b(p))).as(p).hasMessageContaining("escapes root boundary");
            }
            assertHostError(() -> fs.fsReaddir(b("top"))).hasMessageContaining("escapes root boundary");
            assertHostError(() -> fs.writeFile(b("top/new.txt"), b("x"))).hasMessageContaining("escapes root boundary");
            assertHostError(() -> fs.writeFile(b("dangling"), b("x"))).hasMessageContaining("escapes root boundary");
            assertHostError(() -> fs.fsMkdir(b("a/b/c/deep/made"))).hasMessageContaining("escapes root boundary");
            assertThat(out.resolve("new.txt")).doesNotExist();
            assertThat(out.resolve("not-yet.txt")).doesNotExist();
            assertThat(out.resolve("made")).doesNotExist();
            assertThat(contentOf(out.resolve("secret.txt"))).isEqualTo("secret");
        }

        @Test
        void aLinkSwappedInBetweenCallsIsRefusedAtUse() throws IOException {
            seed("box/a.txt", "inside");
            Path out = outside();
            Files.writeString(out.resolve("a.txt"), "outside");
            FsFunctions fs = fs();
            assertThat(s(fs.readFile(b("box/a.txt")))).isEqualTo("inside");
            // Swap the checked directory for a link to the outside: the next call must notice.
            Files.delete(ws("box/a.txt"));
            Files.delete(ws("box"));
            link(ws("box"), out);
            assertHostError(() -> fs.readFile(b("box/a.txt"))).hasMessageContaining("escapes root boundary");
            assertHostError(() -> fs.writeFile(b("box/a.txt"), b("pwned"))).hasMessageContaining("escapes root boundary");
            assertThat(contentOf(out.resolve("a.txt"))).isEqualTo("outside");
        }

        @Test
        void aWrittenDirectorySwappedForAnAbsoluteLinkOutLeaksNothing() {
            swappedDirectoryLeaksNothing(outside().toAbsolutePath());
        }

        @Test
        void aWrittenDirectorySwappedForARelativeLinkToASiblingLeaksNothing() {
            outside();
            swappedDirectoryLeaksNothing(Path.of("../outside"));
        }

        // The capsule wrote into a workspace directory (in an overlay, its own layer now holds a copy of
        // it); then another process replaces that directory by a link out of the workspace. No function
        // may look through the link, whether a provider's own directory hides it or not.
        private void swappedDirectoryLeaksNothing(Path target) {
            Path out = tempDir.resolve("outside");
            try {
                Files.createDirectories(out.resolve("sub"));
                Files.writeString(out.resolve("sub/deep.txt"), "deep");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            seed("real/old.txt", "old");
            seedDir("real/sub");
            FsFunctions fs = fs();
            fs.writeFile(b("real/new.txt"), b("new"));
            fs.writeFile(b("real/sub/mine.txt"), b("mine"));
            deleteTree(ws("real"));
            link(ws("real"), target);
            for (String p : List.of("real/secret.txt", "real/sub/deep.txt")) {
                assertHostError(() -> fs.readFile(b(p))).as("read_file %s", p);
                assertHostError(() -> fs.fsStat(b(p))).as("stat %s", p);
                notTrue("exists " + p, () -> fs.fsExists(b(p)));
            }
            assertThat(namesOrNone(() -> fs.fsReaddir(b("real")))).doesNotContain("secret.txt");
            assertThat(namesOrNone(() -> fs.fsReaddir(b("real/sub")))).doesNotContain("deep.txt");
            catchThrowable(() -> fs.writeFile(b("real/sub/deep.txt"), b("pwned")));
            catchThrowable(() -> fs.fsUnlink(b("real/secret.txt")));
            assertThat(contentOf(out.resolve("sub/deep.txt"))).isEqualTo("deep");
            assertThat(contentOf(out.resolve("secret.txt"))).isEqualTo("secret");
        }
    }

    /** The host data directory, fenced off. */
    @Nested
    class DataDirectory {
        @Test
        void theHostDataDirectoryIsUnreachableEvenInsideTheWorkspace() throws IOException {
            Path root = tempDir.resolve("nested");
            TestCapsule.Host nested = new TestCapsule.Host(root.resolve(".astrid"), root);
            Path kv = Files.writeString(nested.dataDir().resolve("kv.db"), "every capsule's values");
            Files.writeString(root.resolve("plain.txt"), "plain");
            link(root.resolve("state"), Path.of(".astrid"));
            link(root.resolve("docs/abs"), nested.dataDir().toAbsolutePath());
            FsFunctions fs = fs(nested, READ_WRITE);
            for (String p : List.of(".astrid", ".astrid/kv.db", "/.astrid/kv.db", "cwd://.astrid/kv.db", "x/../.astrid/kv.db",
                    ".astrid/capsules", ".astrid/new.txt", ".astrid/new/deeper.txt", "state/kv.db", "docs/abs/kv.db",
                    "docs/abs/capsules/other/secret")) {
                everyFunctionTraps(fs, b(p), "host data directory");
            }
            for (String p : List.of("state", "docs/abs")) { // the links themselves, followed
                assertHostError(() -> fs.readFile(b(p))).as(p).hasMessageContaining("host data directory");
                assertHostError(() -> fs.fsReaddir(b(p))).as(p).hasMessageContaining("host data directory");
                assertHostError(() -> fs.fsStat(b(p))).as(p).hasMessageContaining("host data directory");
                assertHostError(() -> fs.fsExists(b(p))).as(p).hasMessageContaining("host data directory");
            }
            assertThat(names(fs.fsReaddir(new byte[0]))).as("the listing of the workspace root")
                    .containsExactly("docs", "plain.txt", "state");
            assertThat(names(fs.fsReaddir(b("docs")))).containsExactly("abs");
            assertThat(contentOf(kv)).isEqualTo("every capsule's values");
            assertThat(nested.dataDir().resolve("new.txt")).doesNotExist();
            assertThat(nested.dataDir().resolve("new")).doesNotExist();
        }

        @Test
        void theDataDirectoryRefusalNamesTheGuestPathOnly() {
            Path root = tempDir.resolve("nested");
            TestCapsule.Host nested = new TestCapsule.Host(root.resolve("state"), root);
            assertHostError(() -> fs(nested, READ_ONLY).readFile(b("state/kv.db")))
                    .hasMessageContaining("host data directory")
                    .hasMessageContaining("state/kv.db")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tempDir.toString()));
        }
    }

    /** The {@code fs_read} and {@code fs_write} capabilities. */
    @Nested
    class CapabilityChecks {
        @Test
        void readsNeedFsRead() {
            seed("a.txt", "a");
            FsFunctions fs = fs(Capabilities.NONE);
            assertHostError(() -> fs.fsExists(b("a.txt"))).hasMessageContaining("security denied exists check");
            assertHostError(() -> fs.fsExists(new byte[0])).hasMessageContaining("security denied exists check");
            assertHostError(() -> fs.readFile(b("a.txt"))).hasMessageContaining("security denied read_file");
            assertHostError(() -> fs.fsStat(b("a.txt"))).hasMessageContaining("security denied stat");
            assertHostError(() -> fs.fsReaddir(new byte[0])).hasMessageContaining("security denied readdir");
        }

        @Test
        void writesNeedFsWriteAndADeniedCallTouchesNothing() {
            seed("keep.txt", "keep");
            FsFunctions fs = fs(READ_ONLY);
            assertHostError(() -> fs.writeFile(b("new.txt"), b("x"))).hasMessageContaining("security denied write_file");
            assertHostError(() -> fs.writeFile(b("keep.txt"), b("x"))).hasMessageContaining("security denied write_file");
            assertHostError(() -> fs.fsMkdir(b("dir"))).hasMessageContaining("security denied mkdir");
            assertHostError(() -> fs.fsUnlink(b("keep.txt"))).hasMessageContaining("security denied unlink");
            assertThat(fs.fsExists(b("new.txt"))).isEmpty();
            assertThat(fs.fsExists(b("dir"))).isEmpty();
            assertThat(s(fs.readFile(b("keep.txt")))).isEqualTo("keep");
            assertThat(ws("new.txt")).doesNotExist();
            assertThat(contentOf(ws("keep.txt"))).isEqualTo("keep");
        }

        @Test
        void capabilityPrefixesFollowPathComponents() {
            seed("docs/a.txt", "a");
            seed("docsx/b.txt", "b");
            seed("src/c.txt", "c");
            FsFunctions fs = fs(Capabilities.builder().fsRead("workspace://docs").fsWrite("workspace://out").build());
            assertThat(s(fs.readFile(b("docs/a.txt")))).isEqualTo("a");
            assertThat(s(fs.readFile(b("/docs/../docs/a.txt")))).isEqualTo("a");
            assertHostError(() -> fs.readFile(b("docsx/b.txt"))).hasMessageContaining("security denied read_file");
            assertHostError(() -> fs.readFile(b("src/c.txt"))).hasMessageContaining("security denied read_file");
            fs.writeFile(b("out/report.txt"), b("r"));
            assertHostError(() -> fs.writeFile(b("outside.txt"), b("x"))).hasMessageContaining("security denied write_file");
            assertHostError(() -> fs.readFile(b("out/report.txt"))).hasMessageContaining("security denied read_file");
        }

        @Test
        void theGateSeesWhereALinkLeads() {
            seed("private/key.txt", "key");
            link(ws("docs/key-link.txt"), Path.of("../private/key.txt"));
            FsFunctions fs = fs(Capabilities.builder().fsRead("workspace://docs").build());
            assertHostError(() -> fs.readFile(b("docs/key-link.txt"))).hasMessageContaining("security denied read_file");
        }
    }

    /** The home root behind {@code home://}. */
    @Nested
    class HomeRoot {
        @Test
        void homeNeedsItsOwnCapability() {
            FsFunctions fs = fs(READ_WRITE);
            assertHostError(() -> fs.readFile(b("global://a.txt"))).hasMessageContaining("security denied read_file");
            assertHostError(() -> fs.fsExists(b("home://a.txt"))).hasMessageContaining("security denied exists check");
            assertHostError(() -> fs.writeFile(b("global://a.txt"), b("x"))).hasMessageContaining("security denied write_file");
            assertHostError(() -> fs.fsMkdir(b("home://d"))).hasMessageContaining("security denied mkdir");
            assertThat(homeRoot().resolve("a.txt")).doesNotExist();
            assertThat(homeRoot().resolve("d")).doesNotExist();
        }

        @Test
        void homeWritesLandInTheHomeRootAtOnce() {
            FsFunctions fs = fs(WITH_HOME);
            fs.writeFile(b("global://shared/notes.txt"), b("shared"));
            assertThat(contentOf(homeRoot().resolve("shared/notes.txt"))).isEqualTo("shared");
            assertThat(s(fs.readFile(b("home://shared/notes.txt")))).isEqualTo("shared");
            assertThat(names(fs.fsReaddir(b("home://")))).containsExactly("shared");
            assertThat(fs.fsExists(b("shared/notes.txt"))).as("not in the workspace").isEmpty();
            fs.fsUnlink(b("home://shared/notes.txt"));
            assertThat(homeRoot().resolve("shared/notes.txt")).doesNotExist();
        }

        @Test
        void homeFilesPutThereByTheHostAreReadable() throws IOException {
            Files.createDirectories(homeRoot());
            Files.writeString(homeRoot().resolve("test-global.txt"), "from the host");
            FsFunctions fs = fs(Capabilities.builder().fsRead("global://").build());
            assertThat(s(fs.readFile(b("global://test-global.txt")))).isEqualTo("from the host");
            assertThat(s(fs.readFile(b("global:///test-global.txt")))).isEqualTo("from the host");
            assertThat(fs.fsExists(b("global://"))).isEqualTo(b("true"));
        }

        @Test
        void homeCapabilitiesCanNameASubdirectory() {
            FsFunctions fs = fs(Capabilities.builder().fsRead("global://pub").fsWrite("home://pub").build());
            fs.writeFile(b("home://pub/a.txt"), b("a"));
            assertThat(s(fs.readFile(b("global://pub/a.txt")))).isEqualTo("a");
            assertHostError(() -> fs.writeFile(b("home://priv/a.txt"), b("a"))).hasMessageContaining("security denied write_file");
            assertHostError(() -> fs.readFile(b("home://a.txt"))).hasMessageContaining("security denied read_file");
        }

        @Test
        void homePathsCannotClimbOut() {
            seed("secret.txt", "workspace");
            FsFunctions fs = fs(WITH_HOME);
            everyFunctionTraps(fs, b("global://../workspace/secret.txt"), "escapes root boundary");
            everyFunctionTraps(fs, b("home://a/../../x"), "escapes root boundary");
        }

        @Test
        void homeWritesCreateMissingParents() {
            FsFunctions fs = fs(WITH_HOME);
            fs.writeFile(b("home://a/b/c.txt"), b("c"));
            assertThat(contentOf(homeRoot().resolve("a/b/c.txt"))).isEqualTo("c");
        }
    }


    /**
     * {@code tmp://}: the capsule's private temporary directory, where SDK 0.5 guests' {@code /tmp}
     * paths go (docs/profiles.md). No capability names it, no other capsule sees it, it keeps the
     * root's rules, and an unload empties it.
     */
    @Nested
    class Tmp {
        private FsFunctions named(String name, Capabilities caps) {
            TestCapsule capsule = host.capsule(name).capabilities(caps).settings(settings()).build();
            FsFunctions fs = bind(capsule);
            bound.add(fs);
            return fs;
        }

        @Test
        void aCapsuleWithoutFileCapabilitiesUsesItsOwnTemporaryDirectory() {
            FsFunctions fs = named("tmp-alpha", Capabilities.builder().build());
            fs.fsMkdir(b("tmp://work"));
            fs.writeFile(b("tmp://work/a.txt"), b("scratch"));
            assertThat(s(fs.readFile(b("tmp://work/a.txt")))).isEqualTo("scratch");
            assertThat(names(fs.fsReaddir(b("tmp://")))).containsExactly("work");
            assertThat(s(fs.fsExists(b("tmp://work/a.txt")))).isEqualTo("true");
            assertHostError(() -> fs.readFile(b("work/a.txt"))).hasMessageStartingWith("security denied");
            assertThat(ws("work")).doesNotExist();
        }

        @Test
        void anotherCapsuleNeverSeesIt() {
            FsFunctions alpha = named("tmp-alpha", READ_WRITE);
            FsFunctions beta = named("tmp-beta", READ_WRITE);
            alpha.writeFile(b("tmp://mine.txt"), b("alpha's"));
            notTrue("beta sees alpha's temporary file", () -> beta.fsExists(b("tmp://mine.txt")));
        }

        @Test
        void itKeepsTheRootsRules() {
            FsFunctions fs = named("tmp-alpha", READ_WRITE);
            assertHostError(() -> fs.readFile(b("tmp://../../escape"))).hasMessageStartingWith("path escapes root boundary");
            assertHostError(() -> fs.fsUnlink(b("tmp://"))).hasMessageContaining("root");
        }

        @Test
        void anUnloadEmptiesIt() throws Exception {
            FsFunctions first = named("tmp-alpha", READ_WRITE);
            first.writeFile(b("tmp://left.txt"), b("left behind"));
            if (first instanceof AutoCloseable) {
                ((AutoCloseable) first).close();
            }
            bound.remove(first);
            FsFunctions again = named("tmp-alpha", READ_WRITE);
            notTrue("a file from before the unload", () -> again.fsExists(b("tmp://left.txt")));
        }
    }
}
