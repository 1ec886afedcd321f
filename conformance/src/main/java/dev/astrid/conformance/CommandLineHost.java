package dev.astrid.conformance;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives a host through its command line: {@code <command> call CAPSULE EXPORT --input-file F
 * --data-dir D --workspace W [--timeout-ms N] [--config K=V]... [--host-arg values] [case args]},
 * or {@code <command> run CAPSULE... --for 5s --data-dir D --workspace W [..]}, with {@code HOME} and the XDG
 * directories pointed into the case's own home so that no user state is read or written.
 */
final class CommandLineHost implements HostUnderTest {
    /** How long one invocation may take before the kit kills it. */
    private static final long WALL_LIMIT_SECONDS = 120;

    private final String command;
    private final List<String> extraArgs;

    /**
     * @param command a shell command prefix, e.g. {@code ./astrid} or {@code my-host --verbose}
     * @param extraArgs arguments appended to every invocation, after the contract's own
     */
    CommandLineHost(String command, List<String> extraArgs) {
        this.command = command;
        this.extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public String describe() {
        return command + (extraArgs.isEmpty() ? "" : " … " + String.join(" ", extraArgs));
    }

    @Override
    public Outcome invoke(Invocation inv) throws Exception {
        List<String> args = new ArrayList<>(List.of("sh", "-c", "exec " + command + " \"$@\"", "astrid-host", inv.command()));
        for (Path c : inv.capsules()) {
            args.add(c.toString());
        }
        Path inputFile = null;
        if (inv.command().equals("call")) {
            inputFile = Files.createTempFile(inv.home(), "input", ".bin");
            Files.write(inputFile, inv.input());
            args.addAll(List.of(inv.export(), "--input-file", inputFile.toString()));
            if (inv.timeoutMs() > 0) {
                args.addAll(List.of("--timeout-ms", Integer.toString(inv.timeoutMs())));
            }
        } else {
            args.addAll(List.of("--for", "5s"));
        }
        args.addAll(List.of("--data-dir", inv.dataDir().toString(), "--workspace", inv.workspace().toString()));
        for (Map.Entry<String, String> e : inv.config().entrySet()) {
            args.addAll(List.of("--config", e.getKey() + "=" + e.getValue()));
        }
        // ${data} in a host argument is this case's data directory: a per-case name for state the
        // host keeps outside it (a key prefix on a shared server, say).
        extraArgs.forEach(a -> args.add(a.replace("${data}", inv.dataDir().toString())));
        args.addAll(inv.hostArgs());
        ProcessBuilder pb = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        Map<String, String> env = pb.environment();
        env.put("HOME", inv.home().toString());
        env.put("XDG_STATE_HOME", inv.home().resolve("state").toString());
        env.put("XDG_CONFIG_HOME", inv.home().resolve("config").toString());
        env.put("XDG_CACHE_HOME", inv.home().resolve("cache").toString());
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(WALL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Outcome(-1, new byte[0], "the host did not finish within " + WALL_LIMIT_SECONDS + " s");
        }
        if (inputFile != null) {
            Files.deleteIfExists(inputFile);
        }
        String stderr = new String(err.get(), StandardCharsets.UTF_8).strip();
        String last = stderr.isEmpty() ? "" : stderr.substring(stderr.lastIndexOf('\n') + 1);
        return new Outcome(p.exitValue(), out.get(), last);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toByteArray();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
