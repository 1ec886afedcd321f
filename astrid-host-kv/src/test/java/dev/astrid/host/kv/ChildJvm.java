package dev.astrid.host.kv;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test main class in a JVM of its own, with this JVM's classes. */
final class ChildJvm {
    private ChildJvm() {}

    /** A process builder for {@code java <jvmOptions> -cp <this JVM's path> <main> <args>}. */
    static ProcessBuilder of(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> path = new ArrayList<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                path.add(v);
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, path));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }
}
