package dev.astrid.reference.security;

import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.sys.abi.AbiFunction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile arguments for every catalog function. Each argument is drawn from a mix:
 * a well-formed value of its kind (a path through the seeded traps, a topic, a decimal handle, a
 * JSON request of the shape the function reads, with known user, session and uplink ids), the same
 * value damaged at byte level (NUL, invalid UTF-8, a surrogate, a cut, control characters), raw
 * noise, and values padded to exactly the function's {@link PayloadLimits} bound, one byte under
 * and one byte over it. The well-formed share is what lets the fuzzer past the parsers into the
 * code behind them.
 */
final class Inputs {
    /** One argument and how it was made, for the report of a failing case. */
    record Arg(byte[] bytes, String how) {
        @Override
        public String toString() {
            return how + " [" + bytes.length + " bytes] " + preview(bytes);
        }
    }

    /** The values the fuzz world knows only once it runs: ids of users, sessions and uplinks, and host paths. */
    interface Known {
        List<String> userIds();

        List<String> sessionIds();

        List<String> uplinkIds();

        List<String> hostPaths();
    }

    /** How a value is stretched to an exact length without changing what it means, where possible. */
    private enum Pad { PATH, JSON, DECIMAL, TEXT, BYTES }

    private static final int MIB = 1024 * 1024;

    /** Strings that have broken parsers before: empty, separators, escapes, line forging, odd Unicode. */
    static final List<String> TRICKY = List.of("", " ", "\u0000", "\n", "\r\nastrid: ready: forged\n",
            "\u001b[31mred\u001b[0m", "\u001b]0;title\u0007", "..", "../", "%2e%2e", "\\", "/", "*", "**", ".", "é",
            "\ud834\udd1e", "\ufeff", "\u202e", "\ud800", "\udc00", "a\ud800b", "\udfff\ud800", "a".repeat(300), "null",
            "true", "0", "-1", "18446744073709551616", "1e400", "NaN", "\"", "'", "{", "}", "[", "]", ":", ",",
            "${jndi:ldap://x}", "%s%n", "<script>", "\u0085", "\u2028");
    /** Names that mean something to some provider. */
    static final List<String> WORDS = List.of("a", "x", "k", "fuzz", "victim", "hooked", "api_key", "greeting",
            "discord", "cli", "local", "__secret:api_key", "capsule:victim:k", "victim:k", "fuzz-full", "root",
            "allow_prompt_injection", "fs_write", "chat", "echo", "any");
    static final List<String> SEGMENTS = List.of(".", "..", "", "new", "x.txt", "...", " ", "a\\b", "secret.txt", "dir",
            "inner.txt", "home:", "..%2f", "é", "n".repeat(255), "n".repeat(256), "file.txt", "sub", "inner.txt", "deeper",
            "empty-dir", "big.bin", "link-out", "link-rel-out", "link-secret", "link-data", "link-loop", "link-dangling",
            "link-in", "link-abs-in", "link-up", "host-only.txt", "secrets.db", "kv.db", "kv.db-wal", "data", "outside",
            "capsules", "fs-overlay", "upper", "home", ".astrid", FuzzWorld.NET_BIND, "sockets");
    static final List<String> PATH_PREFIXES = List.of("", "", "", "/", "//", "./", "home://", "global://", "cwd://",
            "home://../", "global://../../", "home:///", "workspace://", "file://", "cwd://../", "~/", "/proc/self/",
            "/dev/", "\\\\", "home://link-up/", "HOME://");
    static final List<String> IPC_TAGS = List.of("raw_json", "user_input", "agent_response", "approval_required",
            "approval_response", "onboarding_required", "llm_request", "llm_stream_event", "llm_response",
            "tool_execute_request", "tool_execute_result", "tool_cancel_request", "selection_required", "elicit_request",
            "elicit_response", "connect", "disconnect", "custom", "Custom", "unknown", "");

    private final Known known;
    private final Map<AbiFunction, Arbitrary<List<Arg>>> argsByFunction = new EnumMap<>(AbiFunction.class);

    Inputs(Known known) {
        this.known = known;
        for (AbiFunction fn : AbiFunction.values()) {
            List<Arbitrary<Arg>> args = new ArrayList<>();
            for (int i = 0; i < fn.paramCount(); i++) {
                args.add(hostile(fn, i));
            }
            argsByFunction.put(fn, args.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(args).as(List::copyOf));
        }
    }

    /** Hostile arguments for every parameter of {@code fn}. */
    Arbitrary<List<Arg>> args(AbiFunction fn) {
        return argsByFunction.get(fn);
    }

    /** The well-formed value of argument {@code index} of {@code fn}, for the deterministic sweep. */
    Arbitrary<Arg> wellFormed(AbiFunction fn, int index) {
        return kind(fn, index).map(b -> new Arg(b, "well-formed"));
    }

    /** {@code length} bytes made from {@code base} as argument {@code index} of {@code fn} would be padded. */
    static Arg padded(AbiFunction fn, int index, byte[] base, int length, String how) {
        return new Arg(pad(padOf(fn, index), base, length), how);
    }

    // ---- the mix --------------------------------------------------------------------------------

    private Arbitrary<Arg> hostile(AbiFunction fn, int index) {
        int limit = PayloadLimits.maxArgument(fn, index);
        Arbitrary<byte[]> good = kind(fn, index);
        Pad pad = padOf(fn, index);
        // Boundaries of the big (1 and 10 MiB) arguments cost real time to move; the small ones are cheap.
        int boundaryWeight = limit >= MIB ? 1 : 6;
        return Arbitraries.frequencyOf(
                Tuple.of(60, good.map(b -> new Arg(b, "well-formed"))),
                Tuple.of(20, Combinators.combine(good, mutation()).as((b, m) -> m.apply(b))),
                Tuple.of(10, raw(limit)),
                Tuple.of(boundaryWeight, Combinators.combine(good, Arbitraries.of(-1, 0, 1))
                        .as((b, d) -> new Arg(pad(pad, b, limit + d), "padded to limit" + (d == 0 ? "" : d > 0 ? "+1" : "-1")))));
    }

    private static Pad padOf(AbiFunction fn, int index) {
        switch (fn) {
            case FS_EXISTS: case FS_MKDIR: case FS_READDIR: case FS_STAT: case FS_UNLINK: case READ_FILE:
            case NET_BIND_UNIX:
                return Pad.PATH;
            case WRITE_FILE:
                return index == 0 ? Pad.PATH : Pad.BYTES;
            case IPC_UNSUBSCRIBE: case IPC_POLL: case IPC_RECV: case NET_ACCEPT: case NET_READ: case NET_CLOSE_STREAM:
            case NET_POLL_ACCEPT:
                return Pad.DECIMAL;
            case NET_WRITE:
                return index == 0 ? Pad.DECIMAL : Pad.BYTES;
            case KV_SET:
                return index == 0 ? Pad.TEXT : Pad.BYTES;
            case IPC_PUBLISH:
                return index == 0 ? Pad.TEXT : Pad.JSON;
            case CRON_SCHEDULE:
                return index == 2 ? Pad.JSON : Pad.TEXT;
            case HTTP_REQUEST: case TRIGGER_HOOK: case ELICIT: case HAS_SECRET: case REQUEST_APPROVAL: case SPAWN_HOST:
            case IDENTITY_RESOLVE: case IDENTITY_LINK: case IDENTITY_UNLINK: case IDENTITY_CREATE_USER:
            case IDENTITY_LIST_LINKS: case CHECK_CAPSULE_CAPABILITY: case SPAWN_BACKGROUND_HOST:
            case READ_PROCESS_LOGS_HOST: case KILL_PROCESS_HOST:
                return Pad.JSON;
            default:
                return Pad.TEXT;
        }
    }

    /** The well-formed bytes of each parameter. */
    private Arbitrary<byte[]> kind(AbiFunction fn, int index) {
        switch (fn) {
            case FS_EXISTS: case FS_MKDIR: case FS_READDIR: case FS_STAT: case FS_UNLINK: case READ_FILE:
                return path();
            case NET_BIND_UNIX:
                return socketPath();
            case WRITE_FILE:
                return index == 0 ? path() : content();
            case IPC_PUBLISH:
                return index == 0 ? topic() : utf8(publishPayload());
            case IPC_SUBSCRIBE:
                return pattern();
            case IPC_UNSUBSCRIBE: case IPC_POLL:
                return decimal();
            case IPC_RECV:
                return index == 0 ? decimal() : timeout();
            case UPLINK_REGISTER:
                return index == 0 ? text() : index == 1 ? oneOfText(Arbitraries.of("discord", " Discord ", "TELEGRAM", "cli"))
                        : oneOfText(Arbitraries.of("chat", "interactive", "notify", "bridge", "human", "CHAT", "robot"));
            case UPLINK_SEND:
                return index == 0 ? Arbitraries.frequencyOf(Tuple.of(3, known(known::uplinkIds)), Tuple.of(1, uuidLike()))
                        .map(Inputs::wtf8) : text();
            case KV_GET: case KV_SET: case KV_DELETE: case KV_LIST_KEYS: case KV_CLEAR_PREFIX:
                return index == 0 ? text() : content();
            case GET_CONFIG:
                return oneOfText(Arbitraries.of("greeting", "GREETING", "missing", "api_key", "k"));
            case NET_ACCEPT: case NET_READ: case NET_CLOSE_STREAM: case NET_POLL_ACCEPT:
                return netHandle();
            case NET_WRITE:
                return index == 0 ? netHandle() : content();
            case HTTP_REQUEST:
                return utf8(request(Map.of("method", jsonString(Arbitraries.of("GET", "POST", "DELETE", "", "get", "CONNECT"))),
                        Map.of("url", jsonString(Arbitraries.of("http://127.0.0.1:1/", "https://example.com/", "file:///etc/passwd",
                                "http://[::1]/", "", "gopher://x", "http://169.254.169.254/latest"))),
                        Map.of("headers", object(jsonString(text(true)))), Map.of("body", jsonValue(1))));
            case LOG:
                return index == 0 ? oneOfText(Arbitraries.of("trace", "debug", "info", "warn", "warning", "error", "err",
                        "INFO", "fatal")) : text();
            case CRON_SCHEDULE:
                return index == 0 ? text() : index == 1 ? oneOfText(Arbitraries.of("* * * * *", "@every 1s", "0 0 31 2 *",
                        "*/0 * * * *", "@reboot")) : utf8(jsonValue(3));
            case CRON_CANCEL:
                return text();
            case TRIGGER_HOOK:
                return utf8(request(Map.of("hook", jsonString(Arbitraries.of("fuzz.hook", "fuzz.x", "a.b", "a", "a.b.c", "*.*",
                        "fuzz.", ".fuzz", "fuzz..x"))), Map.of("payload", anyJson())));
            case ELICIT:
                return utf8(request(Map.of("type", jsonString(Arbitraries.of("text", "secret", "select", "array", "bool"))),
                        Map.of("key", jsonString(text(true))), Map.of("description", jsonString(text(true))),
                        Map.of("options", array(jsonString(text(true))))));
            case HAS_SECRET:
                return utf8(request(Map.of("key", jsonString(Arbitraries.oneOf(Arbitraries.of("api_key", "a:b", "missing",
                        "x".repeat(256), "x".repeat(257)), text(true))))));
            case REQUEST_APPROVAL:
                return utf8(request(Map.of("action", jsonString(text(true))), Map.of("resource", jsonString(text(true))),
                        Map.of("risk_level", jsonString(Arbitraries.of("low", "medium", "high", "critical", "none")))));
            case SPAWN_HOST: case SPAWN_BACKGROUND_HOST:
                // The fuzz capsules may run echo and true: the rest must be refused, never started.
                return utf8(request(Map.of("cmd", jsonString(Arbitraries.of("ls", "/bin/sh", "echo", "", "sleep", "true",
                        "echo ", "/bin/echo", "./echo"))),
                        Map.of("args", array(jsonString(text(true))))));
            case READ_PROCESS_LOGS_HOST: case KILL_PROCESS_HOST:
                return utf8(request(Map.of("id", Arbitraries.of("0", "1", "-1", "18446744073709551616", "1.5", "\"1\""))));
            case IDENTITY_RESOLVE: case IDENTITY_UNLINK:
                return utf8(request(Map.of("platform", jsonString(platform())), Map.of("platform_user_id", jsonString(text(true)))));
            case IDENTITY_LINK:
                return utf8(request(Map.of("platform", jsonString(platform())), Map.of("platform_user_id", jsonString(text(true))),
                        Map.of("astrid_user_id", jsonString(userId())), Map.of("method", jsonString(text(true)))));
            case IDENTITY_CREATE_USER:
                return utf8(request(Map.of("display_name", Arbitraries.oneOf(jsonString(text(true)), Arbitraries.just("null")))));
            case IDENTITY_LIST_LINKS:
                return utf8(request(Map.of("astrid_user_id", jsonString(userId()))));
            case CHECK_CAPSULE_CAPABILITY:
                return utf8(request(Map.of("source_uuid", jsonString(Arbitraries.frequencyOf(Tuple.of(3, known(known::sessionIds)),
                        Tuple.of(1, uuidLike())))), Map.of("capability", jsonString(Arbitraries.of("allow_prompt_injection",
                        "fs_write", "net", "", "ALLOW_PROMPT_INJECTION")))));
            default:
                throw new IllegalStateException("no generator for " + fn.symbol() + " argument " + index);
        }
    }

    // ---- kinds ----------------------------------------------------------------------------------

    private Arbitrary<byte[]> path() {
        // Names that exist (or can be made) reach the file system; compositions and prefixes reach the sandbox.
        Arbitrary<String> plain = Combinators.combine(Arbitraries.of("", "", "", "/", "home://", "cwd://", "global://"),
                Arbitraries.of("file.txt", "sub", "sub/inner.txt", "sub/deeper", "empty-dir", "big.bin", "link-in/inner.txt",
                        "link-abs-in", "new.txt", "new/dir", "fuzz", "sub/new.txt", "", ".", "link-loop", "link-dangling",
                        "link-out/secret.txt", "link-rel-out/dir/inner.txt", "link-secret", "link-data/host-only.txt",
                        "link-up/data/secrets.db", "link-up/ws/file.txt", "../outside/secret.txt", "../data/host-only.txt"))
                .as((prefix, name) -> prefix + name);
        Arbitrary<String> segment = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(SEGMENTS)), Tuple.of(1, text(false)));
        Arbitrary<String> composed = Combinators.combine(Arbitraries.of(PATH_PREFIXES), segment.list().ofMaxSize(5),
                Arbitraries.of("", "", "", "/", "/.", "/.."))
                .as((prefix, segs, tail) -> prefix + String.join("/", segs) + tail);
        Arbitrary<String> absolute = Arbitraries.frequencyOf(Tuple.of(1, known(known::hostPaths)),
                Tuple.of(1, Arbitraries.of("/etc/passwd", "/proc/self/environ", "../../../../../../etc/passwd",
                        "/dev/zero", "/dev/stdin", "link-out/../../direct/data/host-only.txt")));
        return Arbitraries.frequencyOf(Tuple.of(5, plain), Tuple.of(4, composed), Tuple.of(1, absolute)).map(Inputs::wtf8);
    }

    /** Socket names: the one the capsules may bind, spelled in ways that name it or not, and any path. */
    private Arbitrary<byte[]> socketPath() {
        String n = FuzzWorld.NET_BIND;
        Arbitrary<String> near = Arbitraries.of(n, "./" + n, n + "/", ".//" + n, "SOCK", n + ".sock", "sockets/" + n, "a/" + n,
                n + "/x", "../sockets/" + n, "/" + n, "unix:" + n, n + "\u0000", " " + n, "..." + n);
        return Arbitraries.frequencyOf(Tuple.of(2, near.map(Inputs::wtf8)), Tuple.of(3, path()));
    }

    /** Handles: the listener the warm-up bound (1), other small numbers, malformed ones. */
    private static Arbitrary<byte[]> netHandle() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("1").map(Inputs::wtf8)), Tuple.of(3, decimal()),
                Tuple.of(1, uuidLike().map(Inputs::wtf8)));
    }

    private Arbitrary<byte[]> topic() {
        Arbitrary<String> segment = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("fuzz", "a", "b", "x", "astrid", "v1",
                "hook", "scale", "ä", "a b", "")), Tuple.of(1, text(false)));
        return segment.list().ofMinSize(1).ofMaxSize(10).map(l -> wtf8(String.join(".", l)));
    }

    private Arbitrary<byte[]> pattern() {
        Arbitrary<String> segment = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("fuzz", "a", "*", "*", "x", "astrid",
                "", "**")), Tuple.of(1, text(false)));
        return segment.list().ofMinSize(1).ofMaxSize(10).map(l -> wtf8(String.join(".", l)));
    }

    /** Handles: small numbers (the live subscriptions are among them) and every spelling a parser could trip on. */
    private static Arbitrary<byte[]> decimal() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 4).map(String::valueOf)),
                Tuple.of(3, Arbitraries.integers().between(0, 140).map(String::valueOf)),
                Tuple.of(3, Arbitraries.of("0", "+1", "-1", " 1", "1 ", "01", "1.0", "0x1", "1e2", "18446744073709551615",
                        "18446744073709551616", "99999999999999999999999", "9223372036854775807", "9223372036854775808", "")),
                Tuple.of(1, Arbitraries.longs().map(String::valueOf)))
                .map(Inputs::wtf8);
    }

    /** ipc_recv timeouts: mostly short; sometimes long enough to block past the call's timeout. */
    private static Arbitrary<byte[]> timeout() {
        return Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.integers().between(0, 20).map(String::valueOf)),
                Tuple.of(12, Arbitraries.integers().between(21, 150).map(String::valueOf)),
                Tuple.of(3, Arbitraries.of("60000", "60001", "99999999999", "18446744073709551615", "+5000")),
                Tuple.of(5, Arbitraries.of("-1", "abc", "1e3", " 5", "+5", "", "5.0", "18446744073709551616")))
                .map(Inputs::wtf8);
    }

    private static Arbitrary<byte[]> content() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(256), text(),
                Arbitraries.integers().between(0, 64 * 1024).map(n -> new byte[n]));
    }

    private static Arbitrary<String> platform() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("discord", " Discord ", "cli", "telegram", "a/b", " ", "x\u0000")),
                Tuple.of(1, text(false)));
    }

    private Arbitrary<String> userId() {
        return Arbitraries.frequencyOf(Tuple.of(3, known(known::userIds)), Tuple.of(2, uuidLike()),
                Tuple.of(1, known(known::userIds).map(String::toUpperCase)),
                Tuple.of(1, known(known::userIds).map(u -> "{" + u + "}")),
                Tuple.of(1, known(known::userIds).map(u -> "urn:uuid:" + u)));
    }

    private static Arbitrary<String> uuidLike() {
        return Arbitraries.oneOf(Arbitraries.randomValue(r -> new java.util.UUID(r.nextLong(), r.nextLong()).toString()),
                Arbitraries.of("00000000-0000-0000-0000-000000000000", "not-a-uuid", "", "0-0-0-0-0",
                        "ffffffff-ffff-ffff-ffff-ffffffffffffff", "g0000000-0000-0000-0000-000000000000"));
    }

    private static Arbitrary<String> known(Supplier<List<String>> ids) {
        // Resolved when a value is drawn: the ids exist only once the world runs.
        return Arbitraries.lazy(() -> ids.get().isEmpty() ? Arbitraries.just("") : Arbitraries.of(ids.get()));
    }

    /** Text as bytes: known words, tricky strings and random Unicode (lone surrogates become invalid UTF-8). */
    private static Arbitrary<byte[]> text() {
        return text(false).map(Inputs::wtf8);
    }

    private static Arbitrary<byte[]> oneOfText(Arbitrary<String> specific) {
        return Arbitraries.frequencyOf(Tuple.of(3, specific), Tuple.of(1, text(false))).map(Inputs::wtf8);
    }

    private static Arbitrary<String> text(boolean forJson) {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(WORDS)), Tuple.of(3, Arbitraries.of(TRICKY)),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(forJson ? 1 : 0, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(500).ofMaxLength(600)));
    }

    // ---- JSON ----------------------------------------------------------------------------------

    /**
     * A JSON object with the named fields; each field is usually present and of the right type,
     * sometimes of another type or missing, and now and then an unknown field comes along.
     */
    @SafeVarargs
    private static Arbitrary<String> request(Map<String, Arbitrary<String>>... fields) {
        List<Arbitrary<String>> parts = new ArrayList<>();
        for (Map<String, Arbitrary<String>> f : fields) {
            Map.Entry<String, Arbitrary<String>> e = f.entrySet().iterator().next();
            String name = quote(e.getKey(), true);
            parts.add(Arbitraries.frequencyOf(Tuple.of(85, e.getValue().map(v -> name + ":" + v)),
                    Tuple.of(7, jsonValue(1).map(v -> name + ":" + v)), Tuple.of(8, Arbitraries.just(""))));
        }
        parts.add(Arbitraries.frequencyOf(Tuple.of(90, Arbitraries.just("")),
                Tuple.of(10, Combinators.combine(jsonString(text(true)), jsonValue(1)).as((k, v) -> k + ":" + v))));
        Arbitrary<String> shaped = Combinators.combine(parts).as(l -> "{" + l.stream().filter(s -> !s.isEmpty())
                .collect(Collectors.joining(",")) + "}");
        return Arbitraries.frequencyOf(Tuple.of(80, shaped), Tuple.of(10, anyJson()), Tuple.of(10, brokenJson()));
    }

    /** Any JSON document, deep ones and huge ones included. */
    private static Arbitrary<String> anyJson() {
        return Arbitraries.frequencyOf(Tuple.of(70, jsonValue(3)), Tuple.of(20, deep()), Tuple.of(1, huge()));
    }

    /** An IPC payload: any JSON, or an object tagged with one of upstream's variants. */
    private static Arbitrary<String> publishPayload() {
        Arbitrary<String> tagged = request(Map.of("type", jsonString(Arbitraries.of(IPC_TAGS))), Map.of("data", jsonValue(2)));
        return Arbitraries.frequencyOf(Tuple.of(5, anyJson()), Tuple.of(4, tagged));
    }

    /** Nesting from shallow to far beyond every parser's limit (128, 255) and a stack's worth. */
    private static Arbitrary<String> deep() {
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 300)),
                Tuple.of(2, Arbitraries.of(127, 128, 129, 254, 255, 256, 257)), Tuple.of(1, Arbitraries.of(1000, 10_000, 100_000)));
        return Combinators.combine(depth, Arbitraries.of("[", "{\"a\":", "[{\"a\":")).as((n, open) -> {
            String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "}]";
            return open.repeat(n) + "1" + close.repeat(n);
        });
    }

    /** Big documents: around the 1 MiB hook limit and the 5 MiB publish limit. */
    private static Arbitrary<String> huge() {
        return Combinators.combine(Arbitraries.of(MIB - 100, MIB + 1, 5 * MIB - 20, 5 * MIB + 1), Arbitraries.of(0, 1, 2))
                .as((n, shape) -> shape == 0 ? "\"" + "x".repeat(n) + "\""
                        : shape == 1 ? "[" + "1,".repeat(n / 2) + "1]" : "{\"a\":\"" + "é".repeat(n / 2) + "\"}");
    }

    /** Text that is almost JSON, or not at all. */
    private static Arbitrary<String> brokenJson() {
        return Arbitraries.of("", "{", "}", "{}", "[]", "null", "{\"key\":", "\"str\"", "{}{}", "{\"a\":1,}", "// c\n{}",
                "{'key':'x'}", "\ufeff{}", "{\"key\":\"x\"} trailing", "{key:x}", "[1,2", "{\"a\":NaN}", "{\"a\":01}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}", "{\"a\":\"\u0001\"}", "1e999999999",
                "-", "tru", "{\"a\":1}\u0000", " ", "\"\\u0000\"");
    }

    private static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.frequencyOf(Tuple.of(4, jsonString(text(true))), Tuple.of(2, number()),
                Tuple.of(1, Arbitraries.of("true", "false", "null")));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = jsonValue(depth - 1);
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(1, array(inner)), Tuple.of(1, object(inner)));
    }

    private static Arbitrary<String> array(Arbitrary<String> element) {
        return element.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
    }

    private static Arbitrary<String> object(Arbitrary<String> value) {
        Arbitrary<String> member = Combinators.combine(jsonString(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(WORDS)),
                Tuple.of(1, text(true)))), value).as((k, v) -> k + ":" + v);
        return member.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
    }

    private static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("0", "-0", "1", "-1", "1.5", "1e400", "-1e400",
                "123456789012345678901234567890", "0.1e-400", "18446744073709551615", "18446744073709551616",
                "9223372036854775808", "1E+2")), Tuple.of(1, Arbitraries.longs().map(String::valueOf)));
    }

    /** A JSON string literal; lone surrogates are written as escapes or left raw (then invalid UTF-8). */
    private static Arbitrary<String> jsonString(Arbitrary<String> raw) {
        return Combinators.combine(raw, Arbitraries.of(true, true, true, false)).as(Inputs::quote);
    }

    static String quote(String s, boolean escapeSurrogates) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(s.charAt(i - 1)));
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (lone && escapeSurrogates)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- bytes ---------------------------------------------------------------------------------

    /** Damage done to a well-formed value at byte level. */
    private static Arbitrary<java.util.function.Function<byte[], Arg>> mutation() {
        byte[][] badUtf8 = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xed, (byte) 0xbf, (byte) 0xbf},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xfe}};
        byte[][] inserts = {{0}, "\n".getBytes(StandardCharsets.UTF_8), "\r\nastrid: ready: forged\n".getBytes(StandardCharsets.UTF_8),
            "\u001b[2J".getBytes(StandardCharsets.UTF_8), "\\ud800".getBytes(StandardCharsets.UTF_8),
            "/../".getBytes(StandardCharsets.UTF_8), "\"".getBytes(StandardCharsets.UTF_8), "*".getBytes(StandardCharsets.UTF_8)};
        Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(badUtf8), where).as((ins, w) -> b -> new Arg(insert(b, ins, w), "invalid UTF-8 " + hex(ins))),
                Combinators.combine(Arbitraries.of(inserts), where).as((ins, w) -> b -> new Arg(insert(b, ins, w), "inserted " + preview(ins))),
                where.map(w -> b -> new Arg(Arrays.copyOf(b, (int) (b.length * w)), "cut")),
                Arbitraries.just(b -> new Arg(concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, b), "BOM in front")),
                Arbitraries.just(b -> new Arg(concat(b, b), "doubled")));
    }

    /** Noise: empty, random bytes, random Unicode, and long runs of one bad byte. */
    private static Arbitrary<Arg> raw(int limit) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(new Arg(new byte[0], "empty"))),
                Tuple.of(5, Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(b -> new Arg(b, "random bytes"))),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(32).map(s -> new Arg(wtf8(s), "random text"))),
                Tuple.of(1, Arbitraries.of((byte) 0xff, (byte) 0, (byte) '/', (byte) '.', (byte) '[')
                        .map(b -> { byte[] a = new byte[Math.min(limit, 64 * 1024)]; Arrays.fill(a, b); return new Arg(a, "run of " + hex(new byte[] {b})); })));
    }

    private static byte[] pad(Pad pad, byte[] base, int length) {
        if (base.length >= length) {
            return Arrays.copyOf(base, length);
        }
        int extra = length - base.length;
        switch (pad) {
            case PATH: {
                // "./" segments are dropped by the path mapping, so the padded path names the same thing.
                String p = (extra % 2 == 1 ? "/" : "") + "./".repeat(extra / 2);
                return concat(p.getBytes(StandardCharsets.UTF_8), base);
            }
            case JSON: {
                byte[] spaces = new byte[extra];
                Arrays.fill(spaces, (byte) ' ');
                return concat(base, spaces);
            }
            case DECIMAL: {
                byte[] zeros = new byte[extra];
                Arrays.fill(zeros, (byte) '0');
                return concat(zeros, base);
            }
            case TEXT: {
                byte[] xs = new byte[extra];
                Arrays.fill(xs, (byte) 'x');
                return concat(base, xs);
            }
            default:
                return Arrays.copyOf(base, length);
        }
    }

    private static Arbitrary<byte[]> utf8(Arbitrary<String> s) {
        return s.map(Inputs::wtf8);
    }

    /** UTF-8, except that a lone surrogate is encoded as its three bytes (which no valid UTF-8 contains). */
    static byte[] wtf8(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xe0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3f));
                out.write(0x80 | (c & 0x3f));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static byte[] insert(byte[] b, byte[] ins, double where) {
        int at = (int) (b.length * where);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }

    /** The first bytes, printable ASCII as is and everything else escaped. */
    static String preview(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 120); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return b.length > 120 ? sb + "..." : sb.toString();
    }
}
