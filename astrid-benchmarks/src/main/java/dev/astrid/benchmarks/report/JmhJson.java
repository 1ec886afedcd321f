package dev.astrid.benchmarks.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the JSON that JMH writes with {@code -rf json}: an array of benchmark results, each with
 * its {@code primaryMetric} and {@code secondaryMetrics}. Secondary metrics in the primary's unit
 * (a group's threads, {@code @AuxCounters}) are kept; of the profilers' metrics only the bytes
 * allocated per operation ({@code -prof gc}'s {@code gc.alloc.rate.norm}) is.
 */
public final class JmhJson {
    /** The profiler's allocation per operation, the one profiler metric the report keeps. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private JmhJson() {}

    /**
     * The results of one JSON file.
     *
     * @throws ReportException if the file is missing, is not JMH's JSON, holds no result, or a
     *     result has no finite score
     */
    public static List<Result> read(Path file, String run) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException(file + ": cannot read the JMH result file (" + e + ")");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new ReportException(file + ": not JSON (" + e.getMessage() + ")");
        }
        if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
            throw new ReportException(file + ": expected JMH's non-empty array of results (-rf json)");
        }
        List<Result> out = new ArrayList<>();
        int index = 0;
        for (JsonElement e : root.getAsJsonArray()) {
            String where = file + ": result " + index++;
            if (!e.isJsonObject()) {
                throw new ReportException(where + " is not an object");
            }
            JsonObject o = e.getAsJsonObject();
            String fqn = string(o, "benchmark", where);
            int dot = fqn.lastIndexOf('.');
            int classDot = fqn.lastIndexOf('.', dot - 1);
            if (dot <= 0 || dot == fqn.length() - 1) {
                throw new ReportException(where + ": benchmark name '" + fqn + "' is not Class.method");
            }
            String benchmark = fqn.substring(classDot + 1);
            SortedMap<String, String> params = new TreeMap<>();
            if (o.has("params") && o.get("params").isJsonObject()) {
                for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            Result primary = metric(run, benchmark, "", params, object(o, "primaryMetric", where), where);
            out.add(primary);
            if (o.has("secondaryMetrics") && o.get("secondaryMetrics").isJsonObject()) {
                for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("secondaryMetrics").entrySet()) {
                    // Older JMH versions prefix profiler metrics with a middle dot.
                    String name = m.getKey().startsWith("\u00b7") ? m.getKey().substring(1) : m.getKey();
                    if (!m.getValue().isJsonObject()) {
                        throw new ReportException(where + ": secondary metric '" + name + "' is not an object");
                    }
                    JsonObject metric = m.getValue().getAsJsonObject();
                    // A group's threads and @AuxCounters report in the primary's unit; profilers do not.
                    boolean own = primary.unit().equals(string(metric, "scoreUnit", where + " (" + name + ")"));
                    if (own || name.equals(ALLOC_NORM)) {
                        out.add(metric(run, benchmark, name, params, metric, where + " (" + name + ")"));
                    }
                }
            }
        }
        return out;
    }

    private static Result metric(String run, String benchmark, String name, SortedMap<String, String> params,
            JsonObject m, String where) {
        double score = number(m, "score", where);
        if (!Double.isFinite(score)) {
            throw new ReportException(where + ": score is not a finite number");
        }
        double error = m.has("scoreError") && !m.get("scoreError").isJsonNull() ? number(m, "scoreError", where) : Double.NaN;
        int samples = 0;
        if (m.has("rawData") && m.get("rawData").isJsonArray()) {
            for (JsonElement fork : m.getAsJsonArray("rawData")) {
                if (fork.isJsonArray()) {
                    samples += ((JsonArray) fork).size();
                }
            }
        }
        return new Result(run, benchmark, name, params, score, error, string(m, "scoreUnit", where), samples);
    }

    private static JsonObject object(JsonObject o, String key, String where) {
        if (!o.has(key) || !o.get(key).isJsonObject()) {
            throw new ReportException(where + ": no '" + key + "' object");
        }
        return o.getAsJsonObject(key);
    }

    private static String string(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ReportException(where + ": no '" + key + "' string");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new ReportException(where + ": no '" + key + "' number");
        }
        // JMH writes NaN (an error with a single iteration) as the string "NaN".
        if (e.getAsJsonPrimitive().isString()) {
            String s = e.getAsString();
            if (s.equals("NaN")) {
                return Double.NaN;
            }
            throw new ReportException(where + ": '" + key + "' is \"" + s + "\", not a number");
        }
        if (!e.getAsJsonPrimitive().isNumber()) {
            throw new ReportException(where + ": '" + key + "' is not a number");
        }
        return e.getAsDouble();
    }
}
