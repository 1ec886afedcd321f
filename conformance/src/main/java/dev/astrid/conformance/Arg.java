package dev.astrid.conformance;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * One argument of a step, as a case file writes it: a string (UTF-8, with {@code ${name}}
 * placeholders filled in), or a table {@code {hex = ".."}}, {@code {repeat = "a", times = 4097}}
 * or {@code {utf8 = ".."}} (no placeholders), or {@code {previous = true}}: the previous step's result.
 */
final class Arg {
    private Arg() {}

    /** Whether an argument stands for the previous step's result. */
    static boolean isPrevious(Object spec) {
        return spec instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) spec).get("previous"));
    }

    /** The bytes of an argument. */
    static byte[] bytes(Object spec, Map<String, String> placeholders, String where) {
        if (spec instanceof String) {
            return fill((String) spec, placeholders).getBytes(StandardCharsets.UTF_8);
        }
        if (spec instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) spec;
            if (m.containsKey("hex")) {
                try {
                    return HexFormat.of().parseHex(String.valueOf(m.get("hex")));
                } catch (IllegalArgumentException e) {
                    throw new CaseFileException(where + ": bad hex: " + e.getMessage());
                }
            }
            if (m.containsKey("repeat")) {
                Object times = m.get("times");
                if (!(times instanceof Number) || ((Number) times).intValue() < 0) {
                    throw new CaseFileException(where + ": 'repeat' needs a non-negative 'times'");
                }
                String unit = fill(String.valueOf(m.get("repeat")), placeholders);
                String prefix = m.containsKey("prefix") ? fill(String.valueOf(m.get("prefix")), placeholders) : "";
                String suffix = m.containsKey("suffix") ? fill(String.valueOf(m.get("suffix")), placeholders) : "";
                return (prefix + unit.repeat(((Number) times).intValue()) + suffix).getBytes(StandardCharsets.UTF_8);
            }
            if (m.containsKey("utf8")) {
                return String.valueOf(m.get("utf8")).getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new CaseFileException(where + ": an argument is a string or a table with hex, repeat or utf8, got " + spec);
    }

    /** Replaces every {@code ${name}} with its value; an unknown name is an error. */
    static String fill(String s, Map<String, String> placeholders) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int start = s.indexOf("${", i);
            if (start < 0) {
                out.append(s, i, s.length());
                return out.toString();
            }
            int end = s.indexOf('}', start);
            if (end < 0) {
                throw new CaseFileException("unterminated placeholder in '" + s + "'");
            }
            String name = s.substring(start + 2, end);
            String value = placeholders.get(name);
            if (value == null) {
                throw new CaseFileException("unknown placeholder ${" + name + "} (known: " + placeholders.keySet() + ")");
            }
            out.append(s, i, start).append(value);
            i = end + 1;
        }
    }
}
