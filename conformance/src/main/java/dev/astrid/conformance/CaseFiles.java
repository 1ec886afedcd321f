package dev.astrid.conformance;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.astrid.sys.abi.SdkProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads case files: TOML documents of {@code [[case]]} tables (see {@code docs/conformance.md}). */
final class CaseFiles {
    /** The built-in case files, one per family, in report order. */
    static final List<String> BUILT_IN = List.of("fs", "ipc", "uplink", "kv", "config", "net", "http", "http_stream", "log", "cron",
            "hooks", "clock", "elicit", "secrets", "approval", "process", "ready", "identity", "capability");

    private static final Set<String> KINDS = Set.of("normal", "edge", "refusal");
    private static final Set<String> FAILURES = Set.of("trap", "timeout", "guest-error", "load-error");
    private static final Set<String> CASE_KEYS = Set.of("id", "function", "kind", "capsule", "steps", "before", "config",
            "host_args", "timeout_ms", "command", "export", "expect", "expect_hex", "expect_json", "expect_match", "fails", "message", "profile");
    private static final Set<String> PROFILE_KEYS = Set.of("expect", "expect_hex", "expect_json", "expect_match", "fails", "message",
            "skip");

    private CaseFiles() {}

    /** The built-in cases. */
    static List<Case> builtIn() {
        List<Case> out = new ArrayList<>();
        for (String name : BUILT_IN) {
            String resource = "/dev/astrid/conformance/cases/" + name + ".toml";
            try (InputStream in = CaseFiles.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new CaseFileException("missing built-in case file " + resource);
                }
                out.addAll(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".toml"));
            } catch (IOException e) {
                throw new CaseFileException("cannot read " + resource + ": " + e.getMessage());
            }
        }
        checkUnique(out);
        return out;
    }

    /** The cases of a file, or of every {@code *.toml} in a directory. */
    static List<Case> read(Path path) {
        List<Path> files = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                try (var s = Files.list(path)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".toml")).sorted().forEach(files::add);
                }
            } else {
                files.add(path);
            }
            List<Case> out = new ArrayList<>();
            for (Path f : files) {
                out.addAll(parse(Files.readString(f), f.toString()));
            }
            checkUnique(out);
            return out;
        } catch (IOException e) {
            throw new CaseFileException("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static void checkUnique(List<Case> cases) {
        Set<String> seen = new HashSet<>();
        for (Case c : cases) {
            if (!seen.add(c.id())) {
                throw new CaseFileException(c.file() + ": case id '" + c.id() + "' is used twice");
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> parse(String toml, String file) {
        Map<String, Object> root;
        try {
            ObjectMapper mapper = new TomlMapper();
            root = mapper.readValue(toml, Map.class);
        } catch (JacksonException e) {
            throw new CaseFileException(file + " is not valid TOML: " + e.getOriginalMessage());
        }
        Object list = root.get("case");
        if (!(list instanceof List)) {
            throw new CaseFileException(file + " has no [[case]] tables");
        }
        List<Case> out = new ArrayList<>();
        int n = 0;
        for (Object o : (List<Object>) list) {
            n++;
            if (!(o instanceof Map)) {
                throw new CaseFileException(file + ": case " + n + " is not a table");
            }
            out.add(parseCase((Map<String, Object>) o, file, n));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Case parseCase(Map<String, Object> m, String file, int n) {
        String where = file + ": case " + n;
        String id = string(m, "id", where, null);
        where = file + ": case '" + id + "'";
        for (String k : m.keySet()) {
            if (!CASE_KEYS.contains(k)) {
                throw new CaseFileException(where + ": unknown key '" + k + "'");
            }
        }
        String function = string(m, "function", where, null);
        if (!DriverFunctions.known(function)) {
            throw new CaseFileException(where + ": '" + function + "' is not one of the 48 functions or an extension function");
        }
        String kind = string(m, "kind", where, null);
        if (!KINDS.contains(kind)) {
            throw new CaseFileException(where + ": kind must be one of " + KINDS);
        }
        List<Case.Call> before = new ArrayList<>();
        Object b = m.get("before");
        if (b != null) {
            if (!(b instanceof List)) {
                throw new CaseFileException(where + ": 'before' must be an array of tables");
            }
            for (Object step : (List<Object>) b) {
                if (!(step instanceof Map)) {
                    throw new CaseFileException(where + ": 'before' must be an array of tables");
                }
                before.add(call((Map<String, Object>) step, where + " (before)", string(m, "capsule", where, "all")));
            }
        }
        Case.Call last = call(m, where, "all");
        Case.Expect expect = expectation(m, where);
        Map<String, Case.Expect> perProfile = new LinkedHashMap<>();
        Map<String, String> notApplicable = new LinkedHashMap<>();
        Object p = m.get("profile");
        if (p != null) {
            if (!(p instanceof Map)) {
                throw new CaseFileException(where + ": 'profile' must be a table of profiles, e.g. [case.profile.\"0.5\"]");
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) p).entrySet()) {
                String at = where + ", profile '" + e.getKey() + "'";
                if (SdkProfile.all().stream().noneMatch(sp -> sp.id().equals(e.getKey()))) {
                    throw new CaseFileException(at + ": not a profile (" + SdkProfile.names() + ")");
                }
                if (!(e.getValue() instanceof Map)) {
                    throw new CaseFileException(at + ": must be a table");
                }
                Map<String, Object> t = (Map<String, Object>) e.getValue();
                for (String k : t.keySet()) {
                    if (!PROFILE_KEYS.contains(k)) {
                        throw new CaseFileException(at + ": unknown key '" + k + "'");
                    }
                }
                if (t.containsKey("skip")) {
                    if (t.size() != 1 || !(t.get("skip") instanceof String)) {
                        throw new CaseFileException(at + ": 'skip' is a reason, given alone");
                    }
                    notApplicable.put(e.getKey(), (String) t.get("skip"));
                } else {
                    perProfile.put(e.getKey(), expectation(t, at));
                }
            }
        }
        return new Case(id, function, kind, file, List.copyOf(before), last, expect, perProfile, notApplicable);
    }

    private static Case.Expect expectation(Map<String, Object> m, String where) {
        Object f = m.get("fails");
        if (f != null && !(f instanceof String)) {
            throw new CaseFileException(where + ": 'fails' must be a string");
        }
        Optional<String> fails = Optional.ofNullable((String) f);
        if (fails.isPresent() && !FAILURES.contains(fails.get())) {
            throw new CaseFileException(where + ": fails must be one of " + FAILURES);
        }
        Case.Expect expect = new Case.Expect(opt(m, "expect"), opt(m, "expect_hex"), opt(m, "expect_json"),
                opt(m, "expect_match"), fails, opt(m, "message"));
        long forms = java.util.stream.Stream.of(expect.output(), expect.outputHex(), expect.json(), expect.matches(), expect.failure())
                .filter(Optional::isPresent).count();
        if (forms != 1) {
            throw new CaseFileException(where + ": give exactly one of expect, expect_hex, expect_json, expect_match, fails");
        }
        return expect;
    }

    @SuppressWarnings("unchecked")
    private static Case.Call call(Map<String, Object> m, String where, String defaultCapsule) {
        String command = string(m, "command", where, "call");
        if (!command.equals("call") && !command.equals("run")) {
            throw new CaseFileException(where + ": command must be call or run");
        }
        String capsule = string(m, "capsule", where, defaultCapsule);
        String export = string(m, "export", where, "invoke");
        String capture = string(m, "capture", where, "");
        List<List<Object>> steps = new ArrayList<>();
        Object s = m.get("steps");
        if (command.equals("call") && export.equals("invoke")) {
            if (!(s instanceof List) || ((List<Object>) s).isEmpty()) {
                throw new CaseFileException(where + ": a call needs 'steps', a non-empty array of [function, args...]");
            }
            for (Object step : (List<Object>) s) {
                if (!(step instanceof List) || ((List<Object>) step).isEmpty() || !(((List<Object>) step).get(0) instanceof String)) {
                    throw new CaseFileException(where + ": each step is [\"astrid_<fn>\", args...]");
                }
                List<Object> st = (List<Object>) step;
                String fn = (String) st.get(0);
                if (!DriverFunctions.known(fn)) {
                    throw new CaseFileException(where + ": unknown function " + fn);
                }
                if (st.size() - 1 != DriverFunctions.paramCount(fn)) {
                    throw new CaseFileException(where + ": " + fn + " takes " + DriverFunctions.paramCount(fn) + " argument(s)");
                }
                steps.add(List.copyOf(st));
            }
        }
        Map<String, String> config = new LinkedHashMap<>();
        Object c = m.get("config");
        if (c instanceof Map) {
            ((Map<String, Object>) c).forEach((k, v) -> config.put(k, String.valueOf(v)));
        }
        List<String> hostArgs = new ArrayList<>();
        Object h = m.get("host_args");
        if (h instanceof List) {
            ((List<Object>) h).forEach(x -> hostArgs.add(String.valueOf(x)));
        }
        Object t = m.get("timeout_ms");
        return new Case.Call(command, capsule, export, capture, steps, config, hostArgs, t instanceof Number ? ((Number) t).intValue() : 0);
    }

    private static Optional<String> opt(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
    }

    private static String string(Map<String, Object> m, String key, String where, String dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt == null) {
                throw new CaseFileException(where + ": '" + key + "' is required");
            }
            return dflt;
        }
        if (!(v instanceof String)) {
            throw new CaseFileException(where + ": '" + key + "' must be a string");
        }
        return (String) v;
    }
}
