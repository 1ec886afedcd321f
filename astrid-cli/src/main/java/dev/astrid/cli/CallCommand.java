package dev.astrid.cli;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.Invocation;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.reference.AstridHost;
import dev.astrid.reference.HostConfig;
import dev.astrid.reference.LoadedCapsule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code astrid call}: one export call, output bytes to stdout. */
@Command(name = "call", description = "Call one export of a module or capsule and print its output.")
final class CallCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODULE", description = "A .wasm file or a capsule directory.")
    Path target;

    @Parameters(index = "1", paramLabel = "EXPORT", description = "The export to call.")
    String export;

    @ArgGroup(exclusive = true)
    InputChoice input;

    static final class InputChoice {
        @Option(names = "--input", paramLabel = "TEXT", description = "Input as text; - reads stdin.")
        String text;

        @Option(names = "--input-file", paramLabel = "PATH", description = "Input from a file, or - for stdin.")
        String file;
    }

    @Mixin
    CallTimeout timeout;

    @Mixin
    HostOptions host;

    @ParentCommand
    AstridCli cli;

    @Override
    public Integer call() throws IOException {
        CliLogging.configure(host.logLevel, cli.stderr);
        byte[] in = readInput();
        HostConfig cfg = host.toConfig().callTimeout(timeout.get()).build();
        return run(cfg, target, export, in, cli.stdout, cli.stderr);
    }

    private byte[] readInput() throws IOException {
        if (input == null) {
            return new byte[0];
        }
        if (input.text != null && !input.text.equals("-")) {
            return input.text.getBytes(StandardCharsets.UTF_8);
        }
        if (input.text != null || input.file.equals("-")) {
            return System.in.readAllBytes();
        }
        return Files.readAllBytes(Path.of(input.file));
    }

    /** Loads, calls and prints; returns the exit code. Shared with {@code astrid tool}. */
    static int run(HostConfig cfg, Path target, String export, byte[] input, PrintStream out, PrintStream err) {
        String name = target.toString();
        try (AstridHost h = AstridHost.start(cfg)) {
            LoadedCapsule c;
            try {
                c = h.load(target);
            } catch (RuntimeException e) {
                err.println("astrid: cannot load " + PrintableText.escape(name + ": " + CliWording.of(String.valueOf(e.getMessage()))));
                return 2;
            }
            name = c.id();
            // On stderr: stdout carries the export's output byte for byte.
            err.println("astrid: " + PrintableText.escape(CliWording.of("profile of " + c.id() + ": " + c.profileChoice())));
            byte[] output = c.call(export, input, Invocation.Caller.NONE, cfg.callTimeout());
            out.write(output, 0, output.length);
            out.flush();
            return 0;
        } catch (GuestCallException e) {
            // The reason may carry the guest's own error text: printed escaped, on this one line.
            err.println("astrid: " + PrintableText.escape("call to " + export + " on capsule " + name + " failed: "
                    + CliWording.of(String.valueOf(e.getMessage()))));
            return 1;
        }
    }
}
