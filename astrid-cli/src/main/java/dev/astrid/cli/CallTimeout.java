package dev.astrid.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --timeout-ms} option of the commands that make one call. */
final class CallTimeout {
    @Option(names = "--timeout-ms", paramLabel = "N", description = "Call timeout in ms; 0 for none (default: 10000).")
    long timeoutMs = 10_000;

    /** The timeout, checked. */
    Duration get() {
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("--timeout-ms must not be negative");
        }
        return Duration.ofMillis(timeoutMs);
    }
}
