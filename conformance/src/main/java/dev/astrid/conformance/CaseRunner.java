package dev.astrid.conformance;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/** Runs one case on a host in a fresh directory tree and judges its outcome. */
final class CaseRunner {
    /** Capsule variants: the manifests under {@code capsules/}, each with the driver (and onboarding) guest beside it. */
    static final List<String> CAPSULES = List.of("all", "none", "readonly", "narrow", "onboarding", "onboarding2");

    /** The profile under which the cron functions are gone, and the functions themselves. */
    private static final String NO_CRON_PROFILE = "0.5";
    private static final java.util.Set<String> CRON = java.util.Set.of("astrid_cron_schedule", "astrid_cron_cancel");

    private final HostUnderTest host;
    private final String httpBase;
    private final List<String> profileArgs;

    /**
     * @param profileArgs the host arguments that select a profile, {@code {profile}} standing for its
     *     name (e.g. {@code --profile={profile}}); empty arguments are left out
     */
    CaseRunner(HostUnderTest host, String httpBase, List<String> profileArgs) {
        this.host = host;
        this.httpBase = httpBase;
        this.profileArgs = List.copyOf(profileArgs);
    }

    /** The verdict on one case under one profile. */
    record Result(Case c, String profile, Status status, String detail, String advisory, long millis) {}

    /** How a case ended. */
    enum Status { PASS, FAIL, SKIP }

    /**
     * Runs a case under a profile, judged by the case's expectation for that profile. Under
     * {@value #NO_CRON_PROFILE} the capsules are an SDK 0.5 build (a driver without the cron
     * imports) unless the case calls a cron function, which only the older driver can.
     */
    Result run(Case c, String profile) {
        long start = System.nanoTime();
        if (c.notApplicable().containsKey(profile)) {
            return new Result(c, profile, Status.SKIP, "does not apply to profile " + profile + ": " + c.notApplicable().get(profile), "",
                    0);
        }
        Case under = new Case(c.id(), c.function(), c.kind(), c.file(), c.before(), c.last(), c.expectUnder(profile));
        String driver = profile.equals(NO_CRON_PROFILE) && !c.calls(CRON) ? "conformance-driver-nocron" : "conformance-driver";
        Path root = null;
        try {
            root = Files.createTempDirectory("astrid-conformance-");
            Path data = root.resolve("data");
            Path ws = Files.createDirectories(root.resolve("workspace"));
            Path home = Files.createDirectories(root.resolve("home"));
            Path fixtures = Files.createDirectories(root.resolve("fixtures"));
            seed(ws, fixtures);
            Map<String, String> placeholders = new java.util.HashMap<>(Map.of("workspace", ws.toString(), "data", data.toString(),
                    "fixtures", fixtures.toString(), "http", httpBase, "root", root.toString()));
            for (Case.Call b : c.before()) {
                HostUnderTest.Outcome o = host.invoke(invocation(b, root, data, ws, home, placeholders, profile, driver));
                if (o.exitCode() == 2 && under.expect().failure().filter("load-error"::equals).isPresent()) {
                    // The capsule cannot load under this profile: the first call shows it.
                    String problem = judge(under, o);
                    return new Result(c, profile, problem == null ? Status.PASS : Status.FAIL, problem == null ? "" : problem,
                            advisory(under, o), millis(start));
                }
                if (o.exitCode() != 0) {
                    return new Result(c, profile, Status.FAIL, "a preparing " + b.command() + " failed (exit " + o.exitCode() + "): "
                            + o.lastStderrLine(), "", millis(start));
                }
                if (!b.capture().isEmpty()) {
                    String problem = capture(b.capture(), o.stdout(), placeholders);
                    if (problem != null) {
                        return new Result(c, profile, Status.FAIL, problem, "", millis(start));
                    }
                }
            }
            HostUnderTest.Outcome o = host.invoke(invocation(c.last(), root, data, ws, home, placeholders, profile, driver));
            String problem = judge(withPlaceholders(under, placeholders), o);
            String advisory = advisory(under, o);
            return new Result(c, profile, problem == null ? Status.PASS : Status.FAIL, problem == null ? "" : problem, advisory,
                    millis(start));
        } catch (CaseFileException e) {
            return new Result(c, profile, Status.FAIL, "bad case: " + e.getMessage(), "", millis(start));
        } catch (Exception e) {
            return new Result(c, profile, Status.FAIL, "the kit could not run the case: " + e, "", millis(start));
        } finally {
            if (root != null) {
                deleteTree(root);
            }
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private HostUnderTest.Invocation invocation(Case.Call call, Path root, Path data, Path ws, Path home,
            Map<String, String> placeholders, String profile, String driver) throws IOException {
        Path capsule = capsule(root, call.capsule(), driver);
        List<String> hostArgs = new ArrayList<>();
        for (String a : profileArgs) {
            if (!a.isEmpty()) {
                hostArgs.add(a.replace("{profile}", profile));
            }
        }
        for (String a : call.hostArgs()) {
            hostArgs.add(Arg.fill(a, placeholders));
        }
        Map<String, String> config = new java.util.LinkedHashMap<>();
        call.config().forEach((k, v) -> config.put(k, Arg.fill(v, placeholders)));
        byte[] input = call.command().equals("call") ? encode(call.steps(), placeholders) : new byte[0];
        return new HostUnderTest.Invocation(call.command(), List.of(capsule), call.export(), input, data, ws, home, config, call.timeoutMs(), hostArgs);
    }

    /** Makes each top-level field of a JSON object output a placeholder {@code ${name.field}}; the reason it cannot, or null. */
    private static String capture(String name, byte[] out, Map<String, String> placeholders) {
        com.google.gson.JsonElement el;
        try {
            el = JsonParser.parseString(new String(out, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return "a preparing call's output is not JSON: " + preview(out);
        }
        if (!el.isJsonObject()) {
            return "a preparing call's output is not a JSON object: " + preview(out);
        }
        el.getAsJsonObject().entrySet().forEach(e -> placeholders.put(name + "." + e.getKey(),
                e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : e.getValue().toString()));
        return null;
    }

    /** The driver's input: per step [u8 function index][u8 argument count], per argument [u32 LE length][bytes]. */
    static byte[] encode(List<List<Object>> steps, Map<String, String> placeholders) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (List<Object> step : steps) {
            String fn = (String) step.get(0);
            in.write(DriverFunctions.index(fn));
            in.write(step.size() - 1);
            for (int i = 1; i < step.size(); i++) {
                if (Arg.isPrevious(step.get(i))) {
                    in.writeBytes(new byte[] {-1, -1, -1, -1});
                    continue;
                }
                byte[] a = Arg.bytes(step.get(i), placeholders, fn + " argument " + i);
                int n = a.length;
                in.write(n);
                in.write(n >>> 8);
                in.write(n >>> 16);
                in.write(n >>> 24);
                in.writeBytes(a);
            }
        }
        return in.toByteArray();
    }

    private static Path capsule(Path root, String variant, String driver) throws IOException {
        if (!CAPSULES.contains(variant)) {
            throw new CaseFileException("unknown capsule variant '" + variant + "' (known: " + CAPSULES + ")");
        }
        Path dir = root.resolve("capsules").resolve(variant);
        if (Files.exists(dir.resolve("Capsule.toml"))) {
            return dir;
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve("Capsule.toml"), resource("capsules/" + variant + ".toml"));
        Files.write(dir.resolve("driver.wasm"), resource("guests/" + driver + ".wasm"));
        Files.write(dir.resolve("onboarding.wasm"), resource("guests/onboarding.wasm"));
        return dir;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = CaseRunner.class.getResourceAsStream("/dev/astrid/conformance/" + name)) {
            if (in == null) {
                throw new IOException("missing kit resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** The workspace every case starts with, and the fixture files cases may name. */
    private static void seed(Path ws, Path fixtures) throws IOException {
        Files.writeString(ws.resolve("hello.txt"), "hello");
        Files.createDirectories(ws.resolve("sub"));
        Files.writeString(ws.resolve("sub/inner.txt"), "inner");
        Files.createDirectories(ws.resolve("empty"));
        Files.write(fixtures.resolve("approvals.toml"), resource("fixtures/approvals.toml"));
        Files.write(fixtures.resolve("answers.toml"), resource("fixtures/answers.toml"));
    }

    /** The case with {@code ${..}} filled in its expectations (ids captured from earlier calls). */
    private static Case withPlaceholders(Case c, Map<String, String> placeholders) {
        Case.Expect e = c.expect();
        java.util.function.Function<Optional<String>, Optional<String>> f = o -> o.map(v -> Arg.fill(v, placeholders));
        return new Case(c.id(), c.function(), c.kind(), c.file(), c.before(), c.last(),
                new Case.Expect(f.apply(e.output()), e.outputHex(), f.apply(e.json()), f.apply(e.matches()), e.failure(), e.message()));
    }

    /** Why the outcome is not the expected one, or null. */
    static String judge(Case c, HostUnderTest.Outcome o) {
        Case.Expect e = c.expect();
        if (e.expectsFailure()) {
            String got = failureClass(c, o);
            if (got == null) {
                return "expected a " + e.failure().get() + ", but the call succeeded with " + preview(o.stdout());
            }
            return got.equals(e.failure().get()) ? null
                    : "expected a " + e.failure().get() + ", got a " + got + " (exit " + o.exitCode() + "): " + o.lastStderrLine();
        }
        if (o.exitCode() != 0) {
            return "expected output, but the call failed (exit " + o.exitCode() + "): " + o.lastStderrLine();
        }
        byte[] out = o.stdout();
        String text = new String(out, StandardCharsets.UTF_8);
        if (e.output().isPresent()) {
            return text.equals(e.output().get()) ? null : "expected " + quote(e.output().get()) + ", got " + preview(out);
        }
        if (e.outputHex().isPresent()) {
            return HexFormat.of().formatHex(out).equalsIgnoreCase(e.outputHex().get()) ? null
                    : "expected hex " + e.outputHex().get() + ", got hex " + HexFormat.of().formatHex(out);
        }
        if (e.json().isPresent()) {
            try {
                return JsonParser.parseString(text).equals(JsonParser.parseString(e.json().get())) ? null
                        : "expected JSON " + e.json().get() + ", got " + preview(out);
            } catch (RuntimeException ex) {
                return "expected JSON " + e.json().get() + ", got something that is not JSON: " + preview(out);
            }
        }
        try {
            return Pattern.compile(e.matches().get(), Pattern.DOTALL).matcher(text).matches() ? null
                    : "expected output matching /" + e.matches().get() + "/, got " + preview(out);
        } catch (PatternSyntaxException ex) {
            return "bad case: expect_match is not a regular expression: " + ex.getDescription();
        }
    }

    /**
     * The failure class of an outcome, null for success: exit 2 is {@code load-error}; exit 1 is
     * {@code timeout} when the last stderr line says {@code timed out}, {@code trap} when it names
     * the case's function followed by a colon, else {@code guest-error}.
     */
    static String failureClass(Case c, HostUnderTest.Outcome o) {
        if (o.exitCode() == 0) {
            return null;
        }
        if (o.exitCode() == 2) {
            return "load-error";
        }
        if (o.exitCode() != 1) {
            return "crash (exit " + o.exitCode() + ")";
        }
        String line = o.lastStderrLine();
        if (line.contains("timed out")) {
            return "timeout";
        }
        if (line.contains(c.function() + ":")) {
            return "trap";
        }
        return "guest-error";
    }

    private static String advisory(Case c, HostUnderTest.Outcome o) {
        Optional<String> m = c.expect().message();
        if (m.isEmpty() || o.exitCode() == 0) {
            return "";
        }
        try {
            return Pattern.compile(m.get()).matcher(o.lastStderrLine()).find() ? ""
                    : "message does not match /" + m.get() + "/: " + o.lastStderrLine();
        } catch (PatternSyntaxException e) {
            return "bad message pattern: " + e.getDescription();
        }
    }

    static String preview(byte[] out) {
        String s = new String(out, StandardCharsets.UTF_8);
        return quote(s.length() > 200 ? s.substring(0, 200) + "…(" + out.length + " bytes)" : s);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('"').toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a socket or a file a process still holds; the temp directory is cleared later
                }
            });
        } catch (IOException e) {
            // nothing left to delete
        }
    }
}
