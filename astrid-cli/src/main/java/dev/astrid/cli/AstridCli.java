package dev.astrid.cli;

import dev.astrid.host.spi.PrintableText;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code astrid} command line. */
@Command(name = "astrid", mixinStandardHelpOptions = true, version = "astrid 0.1.0",
        description = "Runs Astrid capsules (Extism WebAssembly plugins) on the JVM.",
        subcommands = {CallCommand.class, ToolCommand.class, RunCommand.class, AbiCommand.class, SecretCommand.class,
                ApprovalsCommand.class,
                CommandLine.HelpCommand.class})
public final class AstridCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where command output goes; call output is written here byte for byte. */
    final PrintStream stdout;
    /** Where diagnostics go. */
    final PrintStream stderr;

    private AstridCli(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int execute(String[] args, PrintStream stdout, PrintStream stderr) {
        CommandLine cl = new CommandLine(new AstridCli(stdout, stderr));
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(stderr, true));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("astrid: " + PrintableText.escape(CliWording.of(ex.getMessage() == null ? ex.toString() : ex.getMessage())));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
