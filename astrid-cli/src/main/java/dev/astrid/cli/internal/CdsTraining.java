package dev.astrid.cli.internal;

import dev.astrid.cli.AstridCli;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run behind the launcher's class-data-sharing archive: {@code mvn package} starts it
 * with {@code -XX:ArchiveClassesAtExit}, so the archive holds the classes of the commands it runs
 * here, in one JVM: {@code call} of a bare module, {@code run} of two capsule directories, {@code abi}.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * Runs the training commands; exits non-zero when one fails (a {@code run} that its time limit
     * cut short is not a failure).
     *
     * @param args the module to call, the examples directory (with {@code ping} and {@code pong})
     *     and the data directory to use
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: CdsTraining MODULE.wasm EXAMPLES_DIR DATA_DIR");
            System.exit(2);
        }
        String dataDir = "--data-dir=" + args[2];
        Path examples = Path.of(args[1]);
        List<String[]> commands = List.of(
                new String[] {"call", dataDir, "--input=hello", args[0], "echo"},
                new String[] {"run", dataDir, "--for=1s", examples.resolve("pong").toString(), examples.resolve("ping").toString()},
                new String[] {"abi", dataDir});
        for (String[] command : commands) {
            int rc = AstridCli.execute(command, System.out, System.err);
            // A run that --for cut short (exit 1, e.g. a loaded build machine that took more than the
            // second to load ping) has still loaded the classes the archive wants; only a run that
            // could not start (usage or load error, exit 2) makes the training fail.
            if (command[0].equals("run") && rc == 1) {
                System.err.println("CdsTraining: astrid run ended early (exit 1); the archive still holds what it loaded");
                continue;
            }
            if (rc != 0) {
                System.err.println("CdsTraining: astrid " + String.join(" ", command) + " exited with " + rc);
                System.exit(1);
            }
        }
        System.exit(0);
    }
}
