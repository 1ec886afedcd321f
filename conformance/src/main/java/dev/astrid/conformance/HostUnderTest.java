package dev.astrid.conformance;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A host the kit drives. {@link CommandLineHost} drives any program that offers the command-line
 * contract of {@code docs/conformance.md}; a Java host can implement this interface to be driven
 * in-process instead.
 */
public interface HostUnderTest {

    /**
     * One invocation of the host.
     *
     * @param command {@code call} (call {@code export} of the one capsule with {@code input}) or
     *     {@code run} (install and run the capsules for a few seconds)
     * @param capsules capsule directories (one for {@code call})
     * @param export the export a {@code call} calls
     * @param input the input bytes of a {@code call}
     * @param dataDir the host data directory (fresh per case, kept across the case's invocations)
     * @param workspace the workspace (seeded by the kit)
     * @param home a directory to use as the user's home and configuration (secret keys and the like)
     * @param config configuration values ({@code --config KEY=VALUE})
     * @param timeoutMs the call's timeout, 0 for the host's default
     * @param hostArgs further arguments the case gives, appended as they are
     */
    record Invocation(String command, List<Path> capsules, String export, byte[] input, Path dataDir, Path workspace, Path home,
            Map<String, String> config, int timeoutMs, List<String> hostArgs) {}

    /**
     * What the host did.
     *
     * @param exitCode 0 output, 1 failed call, 2 the capsule could not be loaded
     * @param stdout the output bytes
     * @param lastStderrLine the last line the host wrote on stderr (the failure), or empty
     */
    record Outcome(int exitCode, byte[] stdout, String lastStderrLine) {}

    /** Runs one invocation. */
    Outcome invoke(Invocation invocation) throws Exception;

    /** A short description for reports. */
    String describe();
}
