package dev.astrid.reference.security;

import dev.astrid.host.spi.GuestCallException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Fuzzes all 48 host functions through the real kernel and the real {@code abi-driver} guest, on
 * two hosts (direct and overlaid workspace writes) and three capsules (every capability, none,
 * every capability overlaid). Every case must end in a documented result or a clean trap (see
 * {@link Verdict}); after every case the capsule still answers, nothing outside the sandbox
 * changed and the host logged no error of its own; after the run no thread and no file descriptor
 * is left over.
 *
 * <p>Random cases per run: {@code -Dfuzz.tries=N} (default in the module's pom), e.g.
 * {@code mvn -B verify -pl astrid-reference -am -Dfuzz.tries=100000 -Dtest=HostFunctionFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HostFunctionFuzzTest {
    /** Below this many random cases, function coverage is left unchecked (a short run may miss one by chance). */
    private static final int COVERAGE_MIN_CASES = 500;

    private FuzzWorld world;
    private Inputs inputs;
    private final Map<AbiFunction, int[]> tally = new EnumMap<>(AbiFunction.class);
    /** Distinct violations by signature: the fuzzer goes on after one, so that a run shows them all. */
    private final Map<String, Violation> violations = new java.util.TreeMap<>();
    private boolean fatal;
    private int cases;

    private static final class Violation {
        final String first;
        int count;

        Violation(String first) {
            this.first = first;
        }
    }

    @BeforeProperty
    void start() throws Exception {
        world = new FuzzWorld();
        inputs = new Inputs(world);
        world.baseline();
    }

    @AfterProperty
    void finish() throws Exception {
        try {
            if (fatal) {
                return; // the run stopped at a hang or a dead capsule; what is left over says little
            }
            List<String> problems = new ArrayList<>();
            violations.forEach((signature, v) -> problems.add(v.count + " x " + v.first));
            List<String> threads = world.leakedThreads();
            if (!threads.isEmpty()) {
                problems.add("threads left over after the run: " + threads);
            }
            List<String> fds = world.leakedFds();
            if (!fds.isEmpty()) {
                problems.add("file descriptors left open after the run: " + fds);
            }
            for (FuzzWorld.Target t : FuzzWorld.Target.values()) {
                String dead = answersNormally(t);
                if (dead != null) {
                    problems.add(t + " no longer answers a normal call after the run: " + dead);
                }
            }
            if (!problems.isEmpty()) {
                throw new AssertionError(problems.size() + " distinct problem(s) in " + cases + " cases:\n\n"
                        + String.join("\n\n", problems));
            }
        } finally {
            world.close();
        }
    }

    @Property(shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void everyFunctionEndsInADocumentedResultOrACleanTrap(@ForAll("cases") FuzzCase c) {
        run(c);
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        Arbitrary<FuzzWorld.Target> target = Arbitraries.frequency(Tuple.of(6, FuzzWorld.Target.FULL),
                Tuple.of(2, FuzzWorld.Target.BARE), Tuple.of(2, FuzzWorld.Target.OVERLAY));
        return Arbitraries.of(AbiFunction.values()).flatMap(fn ->
                Combinators.combine(target, inputs.args(fn)).as((t, args) -> new FuzzCase(t, fn, args)));
    }

    /** Ran after the random cases when there were enough of them: every function was reached. */
    @AfterProperty
    void everyFunctionWasReached() {
        int total = tally.values().stream().mapToInt(a -> a[0] + a[1]).sum();
        if (total < COVERAGE_MIN_CASES || fatal) {
            return;
        }
        StringBuilder summary = new StringBuilder("fuzz: " + total + " cases (results/traps per function):");
        List<String> missed = new ArrayList<>();
        for (AbiFunction fn : AbiFunction.values()) {
            int[] t = tally.getOrDefault(fn, new int[2]);
            summary.append(' ').append(fn.symbol().substring("astrid_".length())).append('=').append(t[0]).append('/').append(t[1]);
            if (t[0] + t[1] == 0) {
                missed.add(fn.symbol());
            }
        }
        System.out.println(summary);
        if (!missed.isEmpty()) {
            throw new AssertionError("functions the fuzzer never called: " + missed);
        }
    }

    /**
     * Every argument of every function at its edges, whatever the random run draws: empty, one
     * byte under, at and over its limit, with a NUL, with invalid UTF-8, with a lone surrogate
     * (raw and escaped), and for JSON arguments nesting past every parser's limit.
     */
    @Example
    void everyArgumentOfEveryFunctionAtItsEdges() {
        for (AbiFunction fn : AbiFunction.values()) {
            for (int i = 0; i < fn.paramCount(); i++) {
                for (Inputs.Arg edge : edges(fn, i)) {
                    List<Inputs.Arg> args = new ArrayList<>();
                    for (int j = 0; j < fn.paramCount(); j++) {
                        args.add(j == i ? edge : new Inputs.Arg(canonical(fn, j), "canonical"));
                    }
                    run(new FuzzCase(FuzzWorld.Target.FULL, fn, args));
                }
            }
            if (fn.paramCount() == 0) {
                run(new FuzzCase(FuzzWorld.Target.FULL, fn, List.of()));
            }
        }
        // A recv on a quiet subscription that would wait a minute: the call's timeout must stop it cleanly.
        DriverCall.Outcome sub = world.calls.call(world.targets.get(FuzzWorld.Target.FULL), AbiFunction.IPC_SUBSCRIBE,
                new byte[][] {"sweep.quiet".getBytes(StandardCharsets.UTF_8)}, FuzzWorld.CALL_TIMEOUT, FuzzWorld.GRACE);
        if (!sub.ok()) {
            throw new AssertionError("subscribing to a quiet topic failed: " + Verdict.describe(sub));
        }
        FuzzCase wait = new FuzzCase(FuzzWorld.Target.FULL, AbiFunction.IPC_RECV, List.of(new Inputs.Arg(sub.output(), "quiet handle"),
                new Inputs.Arg("60000".getBytes(StandardCharsets.UTF_8), "a minute")));
        DriverCall.Outcome waited = run(wait);
        if (waited.failure() == null || waited.failure().kind() != GuestCallException.Kind.TIMEOUT) {
            throw new AssertionError("a recv waiting past its call's timeout ended as " + Verdict.describe(waited));
        }
    }

    private static List<Inputs.Arg> edges(AbiFunction fn, int i) {
        int limit = PayloadLimits.maxArgument(fn, i);
        byte[] base = canonical(fn, i);
        List<Inputs.Arg> l = new ArrayList<>(List.of(new Inputs.Arg(new byte[0], "empty"), new Inputs.Arg(base, "canonical"),
                Inputs.padded(fn, i, base, limit, "padded to limit"), Inputs.padded(fn, i, base, limit + 1, "padded to limit+1"),
                new Inputs.Arg(concat(base, new byte[] {0}), "NUL at the end"),
                new Inputs.Arg(concat(new byte[] {(byte) 0xff}, base), "0xff in front"),
                new Inputs.Arg(concat(base, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), "raw lone surrogate")));
        if (limit < 1024 * 1024) {
            l.add(Inputs.padded(fn, i, base, limit - 1, "padded to limit-1"));
        }
        String s = new String(base, StandardCharsets.UTF_8);
        if (s.startsWith("{") || s.startsWith("[")) {
            l.add(new Inputs.Arg(s.replaceFirst("(:\\s*)\"[^\"]*\"", "$1\"\\\\ud800\"").getBytes(StandardCharsets.UTF_8),
                    "escaped lone surrogate"));
            for (int depth : new int[] {128, 129, 256, 100_000}) {
                l.add(new Inputs.Arg(("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8), "nested " + depth));
            }
        }
        return l;
    }

    /** A plausible value for every parameter: what a correct capsule would pass. */
    private static byte[] canonical(AbiFunction fn, int i) {
        String v;
        switch (fn) {
            case FS_EXISTS: case FS_READDIR: case FS_STAT: case READ_FILE:
                v = "sub";
                break;
            case FS_MKDIR: case FS_UNLINK:
                v = "sweep/dir";
                break;
            case NET_BIND_UNIX:
                v = "sock";
                break;
            case WRITE_FILE:
                v = i == 0 ? "sweep/file.txt" : "content";
                break;
            case IPC_PUBLISH:
                v = i == 0 ? "fuzz.sweep" : "{\"type\":\"custom\",\"data\":{\"n\":1}}";
                break;
            case IPC_SUBSCRIBE:
                v = "fuzz.*";
                break;
            case IPC_UNSUBSCRIBE: case IPC_POLL: case NET_ACCEPT: case NET_READ: case NET_CLOSE_STREAM: case NET_POLL_ACCEPT:
                v = "1";
                break;
            case IPC_RECV:
                v = i == 0 ? "1" : "0";
                break;
            case UPLINK_REGISTER:
                v = List.of("sweep", "discord", "chat").get(i);
                break;
            case UPLINK_SEND:
                v = List.of("00000000-0000-0000-0000-000000000000", "user-1", "hello").get(i);
                break;
            case KV_GET: case KV_DELETE: case KV_LIST_KEYS: case KV_CLEAR_PREFIX: case GET_CONFIG:
                v = "greeting";
                break;
            case KV_SET:
                v = i == 0 ? "sweep" : "value";
                break;
            case NET_WRITE:
                v = i == 0 ? "1" : "data";
                break;
            case HTTP_REQUEST:
                v = "{\"method\":\"GET\",\"url\":\"http://127.0.0.1:1/\",\"headers\":{},\"body\":\"\"}";
                break;
            case LOG:
                v = i == 0 ? "info" : "a line";
                break;
            case CRON_SCHEDULE:
                v = List.of("job", "* * * * *", "{\"a\":1}").get(i);
                break;
            case CRON_CANCEL:
                v = "job";
                break;
            case TRIGGER_HOOK:
                v = "{\"hook\":\"fuzz.hook\",\"payload\":{\"a\":\"b\"}}";
                break;
            case ELICIT:
                v = "{\"type\":\"text\",\"key\":\"name\",\"description\":\"your name\"}";
                break;
            case HAS_SECRET:
                v = "{\"key\":\"api_key\"}";
                break;
            case REQUEST_APPROVAL:
                v = "{\"action\":\"delete\",\"resource\":\"file.txt\",\"risk_level\":\"high\"}";
                break;
            case SPAWN_HOST: case SPAWN_BACKGROUND_HOST:
                v = "{\"cmd\":\"echo\",\"args\":[\"hi\"]}";
                break;
            case READ_PROCESS_LOGS_HOST: case KILL_PROCESS_HOST:
                v = "{\"id\":1}";
                break;
            case IDENTITY_RESOLVE: case IDENTITY_UNLINK:
                v = "{\"platform\":\"discord\",\"platform_user_id\":\"42\"}";
                break;
            case IDENTITY_LINK:
                v = "{\"platform\":\"discord\",\"platform_user_id\":\"42\",\"astrid_user_id\":\"00000000-0000-0000-0000-000000000000\",\"method\":\"oauth\"}";
                break;
            case IDENTITY_CREATE_USER:
                v = "{\"display_name\":\"Ada\"}";
                break;
            case IDENTITY_LIST_LINKS:
                v = "{\"astrid_user_id\":\"00000000-0000-0000-0000-000000000000\"}";
                break;
            case CHECK_CAPSULE_CAPABILITY:
                v = "{\"source_uuid\":\"00000000-0000-0000-0000-000000000000\",\"capability\":\"allow_prompt_injection\"}";
                break;
            default:
                throw new IllegalStateException("no canonical value for " + fn.symbol());
        }
        return v.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs one case and every check that follows it. A violation is recorded and the run goes on;
     * a hang or a capsule that stopped answering ends the run at once, since later cases could
     * not be trusted.
     */
    private DriverCall.Outcome run(FuzzCase c) {
        cases++;
        DriverCall.Outcome o = world.calls.call(world.targets.get(c.target()), c.fn(), c.bytes(), c.timeout(), FuzzWorld.GRACE);
        tally.computeIfAbsent(c.fn(), k -> new int[2])[o.ok() ? 0 : 1]++;
        String report = "\n  case: " + c + "\n  ended: " + Verdict.describe(o) + " after " + o.millis() + " ms";
        String dead = o.hung() ? "hung" : answersNormally(c.target());
        if (o.hung() || dead != null) {
            fatal = true;
            throw new AssertionError((o.hung() ? Verdict.judge(world, c, o) : "the capsule no longer answers a normal call: " + dead)
                    + report);
        }
        String why = Verdict.judge(world, c, o);
        if (why != null) {
            record(c, why, report);
        }
        String changed = world.sandboxChanges();
        if (!changed.isEmpty()) {
            record(c, "something outside the sandbox changed:\n" + changed, report);
            world.rebaselineSandbox();
        }
        if (!world.severe.isEmpty()) {
            record(c, "the host logged an error of its own: " + world.severe, report);
            world.severe.clear();
        }
        world.relinkAll();
        return o;
    }

    private void record(FuzzCase c, String why, String report) {
        // One entry per function and kind of violation; the first case of each is kept as the example.
        String signature = c.fn().symbol() + " " + why.substring(0, Math.min(why.length(), 48));
        violations.computeIfAbsent(signature, k -> new Violation(why + report)).count++;
    }

    /** Null when the capsule answers astrid_clock_ms with a decimal number, else what happened. */
    private String answersNormally(FuzzWorld.Target t) {
        DriverCall.Outcome o = world.calls.call(world.targets.get(t), AbiFunction.CLOCK_MS, new byte[0][],
                FuzzWorld.CALL_TIMEOUT, FuzzWorld.GRACE);
        return o.ok() && new String(o.output(), StandardCharsets.US_ASCII).matches("[0-9]+") ? null : Verdict.describe(o);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
