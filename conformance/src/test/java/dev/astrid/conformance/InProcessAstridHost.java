package dev.astrid.conformance;

import dev.astrid.cli.AstridCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This repository's host driven in-process through {@link HostUnderTest}: the same command line
 * ({@link AstridCli#execute}) in this JVM, so the whole kit runs in seconds. The user's home cannot
 * be redirected in-process, so the secrets key goes into the case's home with a setting.
 */
final class InProcessAstridHost implements HostUnderTest {
    private final List<String> extraArgs;

    InProcessAstridHost(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public String describe() {
        return "in-process astrid" + (extraArgs.isEmpty() ? "" : " " + String.join(" ", extraArgs));
    }

    @Override
    public Outcome invoke(Invocation inv) throws Exception {
        List<String> args = new ArrayList<>(List.of(inv.command()));
        inv.capsules().forEach(c -> args.add(c.toString()));
        if (inv.command().equals("call")) {
            Path input = Files.createTempFile(inv.home(), "input", ".bin");
            Files.write(input, inv.input());
            args.addAll(List.of(inv.export(), "--input-file", input.toString()));
            if (inv.timeoutMs() > 0) {
                args.addAll(List.of("--timeout-ms", Integer.toString(inv.timeoutMs())));
            }
        } else {
            args.addAll(List.of("--for", "5s"));
        }
        args.addAll(List.of("--data-dir", inv.dataDir().toString(), "--workspace", inv.workspace().toString(),
                "--setting", "secrets.key-file=" + inv.home().resolve("config/astrid/secrets.key")));
        for (Map.Entry<String, String> e : inv.config().entrySet()) {
            args.addAll(List.of("--config", e.getKey() + "=" + e.getValue()));
        }
        args.addAll(extraArgs);
        args.addAll(inv.hostArgs());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AstridCli.execute(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String stderr = err.toString(StandardCharsets.UTF_8).strip();
        return new Outcome(code, out.toByteArray(), stderr.isEmpty() ? "" : stderr.substring(stderr.lastIndexOf('\n') + 1));
    }
}
