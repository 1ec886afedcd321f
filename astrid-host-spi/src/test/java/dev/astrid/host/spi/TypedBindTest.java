package dev.astrid.host.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.sys.abi.Family;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link FamilyProvider} that binds the wrong interface, or names a family whose interface it
 * does not bind, does not compile; the right one does. Compiled here with the JDK's javac against
 * this module and the ABI.
 */
class TypedBindTest {
    @TempDir
    Path dir;

    @Test
    void everyFamilyHasOneTypedFamilyWithItsInterface() {
        assertThat(TypedFamily.values().stream().map(TypedFamily::family).collect(Collectors.toList()))
                .containsExactly(Family.values());
        assertThat(TypedFamily.values()).allSatisfy(t -> assertThat(t.api()).isEqualTo(t.family().api()));
    }

    @Test
    void aProviderOfTheRightInterfaceCompiles() throws IOException {
        assertThat(compile("TypedFamily<ClockFunctions> typedFamily() { return TypedFamily.CLOCK; }",
                "ClockFunctions bind(CapsuleContext c) { return () -> new byte[0]; }")).isEmpty();
    }

    @Test
    void aProviderThatBindsAnotherFamilysInterfaceDoesNotCompile() throws IOException {
        assertThat(compile("TypedFamily<ClockFunctions> typedFamily() { return TypedFamily.CLOCK; }",
                "KvFunctions bind(CapsuleContext c) { return null; }"))
                .contains("return type KvFunctions is not compatible with ClockFunctions");
    }

    @Test
    void aProviderThatNamesAnotherFamilyDoesNotCompile() throws IOException {
        assertThat(compile("TypedFamily<ClockFunctions> typedFamily() { return TypedFamily.KV; }",
                "ClockFunctions bind(CapsuleContext c) { return () -> new byte[0]; }"))
                .contains("incompatible types: TypedFamily<KvFunctions> cannot be converted to TypedFamily<ClockFunctions>");
    }

    /** Compiles a clock provider with these two members; returns javac's errors, empty when it compiled. */
    private String compile(String typedFamily, String bind) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/example"));
        Files.writeString(src.resolve("P.java"), "package example;\n"
                + "import dev.astrid.host.spi.*;\nimport dev.astrid.sys.abi.*;\n"
                + "public final class P implements FamilyProvider<ClockFunctions> {\n"
                + "    @Override public String name() { return \"p\"; }\n"
                + "    @Override public " + typedFamily + "\n"
                + "    @Override public " + bind + "\n"
                + "}\n");
        Files.writeString(dir.resolve("src/module-info.java"),
                "module example { requires dev.astrid.host.spi; requires dev.astrid.sys.abi; }\n");
        List<String> path = new ArrayList<>();
        for (String m : List.of("dev.astrid.host.spi", "dev.astrid.sys.abi")) {
            path.add(Path.of(ModuleLayer.boot().configuration().findModule(m).orElseThrow().reference().location()
                    .orElseThrow()).toString());
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("no javac in this JDK"));
        StringWriter log = new StringWriter();
        int rc = javac.run(new PrintWriter(log), new PrintWriter(log), "--release", "17", "-d",
                dir.resolve("classes").toString(), "--module-path", String.join(File.pathSeparator, path),
                dir.resolve("src/module-info.java").toString(), src.resolve("P.java").toString());
        return rc == 0 ? "" : log.toString();
    }
}
