package dev.astrid.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Declared deviations of a host: each line {@code <case id or /regex/> <reason>}, where the id may
 * carry a profile ({@code kv_get.missing@0.5}) to allow the deviation under that profile only; {@code #} starts
 * a comment. A failed case an entry names is reported as skipped with the reason; a passing one
 * stays passed (and the report says the entry is stale).
 */
final class AllowList {
    private record Entry(Pattern pattern, String reason) {}

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = entries;
    }

    static final AllowList NONE = new AllowList(List.of());

    static AllowList read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read allow list " + file + ": " + e.getMessage(), e);
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": give a case id (or /regex/) and a reason");
            }
            Pattern p;
            try {
                p = parts[0].length() > 1 && parts[0].startsWith("/") && parts[0].endsWith("/")
                        ? Pattern.compile(parts[0].substring(1, parts[0].length() - 1)) : Pattern.compile(Pattern.quote(parts[0]));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": bad pattern: " + e.getDescription());
            }
            out.add(new Entry(p, parts[1]));
        }
        return new AllowList(out);
    }

    /** The reason a case is an allowed deviation, if it is one. */
    Optional<String> reason(String caseId) {
        return entries.stream().filter(e -> e.pattern().matcher(caseId).matches()).map(Entry::reason).findFirst();
    }
}
