package dev.astrid.cli;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.HookInput;
import dev.astrid.sys.abi.GuestExports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code astrid tool}: calls {@code astrid_tool_call} the way the host hands a tool call to a capsule. */
@Command(name = "tool", description = "Call a capsule tool through its astrid_tool_call export.")
final class ToolCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CAPSULE", description = "The capsule directory.")
    Path capsule;

    @Parameters(index = "1", paramLabel = "TOOL", description = "The tool's name.")
    String tool;

    @Option(names = "--args", paramLabel = "JSON", description = "The tool's arguments as JSON (default: {}).")
    String args = "{}";

    @Mixin
    CallTimeout timeout;

    @Mixin
    HostOptions host;

    @ParentCommand
    AstridCli cli;

    @Override
    public Integer call() {
        CliLogging.configure(host.logLevel, cli.stderr);
        try {
            JsonParser.parseString(args);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("--args is not valid JSON: " + e.getMessage());
        }
        return CallCommand.run(host.toConfig().callTimeout(timeout.get()).build(), capsule,
                GuestExports.TOOL_CALL, toolInput(tool, args), cli.stdout, cli.stderr);
    }

    /** {@code {"name":TOOL,"arguments":[bytes of the JSON arguments]}}, the format of a hook call. */
    static byte[] toolInput(String tool, String jsonArgs) {
        return HookInput.encode(tool, jsonArgs.getBytes(StandardCharsets.UTF_8));
    }
}
