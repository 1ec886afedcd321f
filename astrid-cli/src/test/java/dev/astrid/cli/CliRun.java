package dev.astrid.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line run in-process, as a shell would run it, keeping what it printed. */
final class CliRun {
    /** What the command printed on stdout. */
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** What the command printed on stderr. */
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code astrid ARGS... --data-dir DATA} and returns its exit code. */
    int run(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dataDir.toString());
        return AstridCli.execute(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
