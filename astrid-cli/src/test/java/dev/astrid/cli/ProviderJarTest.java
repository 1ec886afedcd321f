package dev.astrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party provider jar, compiled and jarred here (a module with {@code provides}), is loaded
 * from {@code --providers DIR} and from {@code <data-dir>/providers/}: {@code abi} names it and its
 * jar, and a capsule's call is served by it.
 */
class ProviderJarTest {
    private static final String MODULE_INFO = "module example.clock {\n"
            + "    requires dev.astrid.host.spi;\n"
            + "    requires dev.astrid.sys.abi;\n"
            + "    provides dev.astrid.host.spi.HostProvider with example.clock.FixedClockProvider;\n"
            + "}\n";
    private static final String PROVIDER = "package example.clock;\n"
            + "import dev.astrid.host.spi.CapsuleContext;\n"
            + "import dev.astrid.host.spi.HostProvider;\n"
            + "import dev.astrid.sys.abi.ClockFunctions;\n"
            + "import dev.astrid.sys.abi.Family;\n"
            + "import java.nio.charset.StandardCharsets;\n"
            + "/** A clock that always reads 1234567890 ms, ranked above the built-in one. */\n"
            + "public final class FixedClockProvider implements HostProvider {\n"
            + "    @Override public String name() { return \"example-fixed-clock\"; }\n"
            + "    @Override public Family family() { return Family.CLOCK; }\n"
            + "    @Override public int priority() { return BUILT_IN_PRIORITY + 10; }\n"
            + "    @Override public Object bind(CapsuleContext capsule) {\n"
            + "        return (ClockFunctions) () -> \"1234567890\".getBytes(StandardCharsets.US_ASCII);\n"
            + "    }\n"
            + "}\n";

    @TempDir
    Path dir;

    private Path jar;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void buildProviderJar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/example/clock"));
        Files.writeString(dir.resolve("src/module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("FixedClockProvider.java"), PROVIDER);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("no javac in this JDK"));
        StringWriter log = new StringWriter();
        int rc = javac.run(new PrintWriter(log), new PrintWriter(log), "--release", "17", "-d", classes.toString(),
                "--module-path", modulePathOf("dev.astrid.host.spi", "dev.astrid.sys.abi"),
                dir.resolve("src/module-info.java").toString(), src.resolve("FixedClockProvider.java").toString());
        assertThat(rc).as(log.toString()).isZero();
        jar = Files.createDirectories(dir.resolve("jars")).resolve("example-clock.jar");
        try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream jo = new JarOutputStream(fo);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                jo.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                jo.write(Files.readAllBytes(f));
                jo.closeEntry();
            }
        }
    }

    /** Where the host's own modules are, so the provider compiles against the same SPI. */
    private static String modulePathOf(String... modules) {
        List<String> paths = new ArrayList<>();
        for (String m : modules) {
            ResolvedModule rm = ModuleLayer.boot().configuration().findModule(m).orElseThrow();
            paths.add(Path.of(rm.reference().location().orElseThrow()).toString());
        }
        return String.join(File.pathSeparator, paths);
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dir.resolve("data").toString());
        return AstridCli.execute(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** What the abi-driver guest reads to call astrid_clock_ms: the function's ordinal and no arguments. */
    private Path clockCall() throws IOException {
        return Files.write(dir.resolve("clock-call.bin"), new byte[] {(byte) AbiFunction.CLOCK_MS.ordinal(), 0});
    }

    @Test
    void abiNamesTheProviderOfAJarInAProvidersDirectoryAndTheJar() {
        assertThat(run("abi", "--providers", jar.getParent().toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertThat(lines.get(0)).contains("provider").endsWith("from");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_clock_ms").contains("example-fixed-clock")
                .endsWith("example-clock.jar"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("astrid_kv_get").contains("astrid-reference-kv")
                .endsWith(ProviderJars.BUILT_IN));
    }

    @Test
    void aCapsuleCallIsServedByTheProviderOfTheJar() throws IOException {
        Path wasm = Guests.copyTo("abi-driver", dir);
        assertThat(run("call", wasm.toString(), "invoke", "--input-file", clockCall().toString(), "--providers",
                jar.getParent().toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1234567890");
        out.reset();
        assertThat(run("call", wasm.toString(), "invoke", "--input-file", clockCall().toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).as("without the jar the built-in clock answers")
                .isNotEqualTo("1234567890").matches("[0-9]+");
    }

    @Test
    void theDataDirectorysProvidersFolderIsLoadedWithoutAFlag() throws IOException {
        Path own = Files.createDirectories(dir.resolve("data/providers"));
        Files.copy(jar, own.resolve(jar.getFileName()));
        Path wasm = Guests.copyTo("abi-driver", dir);
        assertThat(run("call", wasm.toString(), "invoke", "--input-file", clockCall().toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1234567890");
    }

    @Test
    void theEnvironmentVariableListsDirectoriesLikeAPath() {
        Path data = dir.resolve("data");
        String env = dir.resolve("a") + File.pathSeparator + File.pathSeparator + dir.resolve("b");
        assertThat(ProviderJars.directories(List.of(dir.resolve("flag")), env, data))
                .containsExactly(dir.resolve("flag"), dir.resolve("a"), dir.resolve("b"));
        assertThat(ProviderJars.directories(List.of(), null, data)).isEmpty();
    }

    @Test
    void aProvidersDirectoryThatDoesNotExistIsAnError() {
        assertThat(run("abi", "--providers", dir.resolve("missing").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the provider directory " + dir.resolve("missing")
                + " does not exist");
    }
}
