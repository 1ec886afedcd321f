package dev.astrid.cli;

import dev.astrid.host.spi.PrintableText;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code astrid} command line. */
@Command(name = "astrid", mixinStandardHelpOptions = true, version = "astrid 0.1.0",
        description = "Runs Astrid capsules (Extism WebAssembly plugins) on the JVM.")
public final class AstridCli implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(CallCommand.class, ToolCommand.class, RunCommand.class,
            AbiCommand.class, SecretCommand.class, ApprovalsCommand.class, CommandLine.HelpCommand.class);

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
        // Building picocli's model of a command is a good part of start-up: when the first argument
        // names a subcommand, only that one is built (it is the only one the run can reach). The help
        // subcommand describes the others, so it gets them all.
        Class<?> named = args.length == 0 ? null : COMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().orElse(null);
        for (Class<?> c : named == null ? COMMANDS : List.of(named)) {
            cl.addSubcommand(c);
        }
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
