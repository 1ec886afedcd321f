package dev.astrid.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that answer a capsule's questions and approvals without a terminal, or set a standing policy. */
final class InteractionOptions {
    @Option(names = "--answer", paramLabel = "KEY=VALUE",
            description = "Answer an install-time question (repeatable; repeat a key for a list).")
    List<String> answer = new ArrayList<>();

    @Option(names = "--answers", paramLabel = "FILE",
            description = "A TOML file of answers: KEY = \"value\" or KEY = [\"a\", \"b\"].")
    Path answersFile;

    @Option(names = "--approval-policy", paramLabel = "FILE",
            description = "A TOML file of standing approval decisions ([[allow]] / [[deny]] with action and resource globs).")
    Path approvalPolicy;

    /** The answers given, by key, in order. */
    Map<String, List<String>> answers() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (answersFile != null) {
            readAnswers(answersFile).forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        Map<String, List<String>> fromOptions = new LinkedHashMap<>();
        for (String a : answer) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--answer takes KEY=VALUE, got '" + a + "'");
            }
            fromOptions.computeIfAbsent(a.substring(0, eq), x -> new ArrayList<>()).add(a.substring(eq + 1));
        }
        out.putAll(fromOptions); // an option overrides the file's answer to the same key
        return out;
    }

    static Map<String, List<String>> readAnswers(Path file) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("answers file " + file + " is not valid TOML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read answers file " + file + ": " + e.getMessage(), e);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (root == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            List<String> values = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(item -> values.add(scalar(file, e.getKey(), item)));
            } else {
                values.add(scalar(file, e.getKey(), v));
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    private static String scalar(Path file, String key, JsonNode v) {
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("answers file " + file + ": '" + key + "' must be a string, a number, a boolean or a list of them");
        }
        return v.asText();
    }
}
