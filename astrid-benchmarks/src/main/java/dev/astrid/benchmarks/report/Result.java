package dev.astrid.benchmarks.report;

import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * One figure of a JMH run: a benchmark's primary score, or one of its secondary (user) metrics
 * such as {@code crossThread:delivered}.
 *
 * @param run the label of the run (the JSON file) it comes from
 * @param benchmark {@code Class.method}, without the package
 * @param metric the secondary metric's name, or empty for the primary score
 * @param params the JMH parameters, sorted by name
 * @param score the score
 * @param error JMH's 99.9% half-interval, or NaN when JMH gives none (one iteration)
 * @param unit JMH's unit, e.g. {@code ops/s}
 * @param samples the number of measured iterations behind the score
 */
public record Result(String run, String benchmark, String metric, SortedMap<String, String> params, double score,
        double error, String unit, int samples) {

    /** The benchmark with its metric, e.g. {@code IpcPublishRecvBenchmark.crossThread:delivered}. */
    public String name() {
        return metric.isEmpty() ? benchmark : benchmark + ":" + metric;
    }

    /** The parameters as {@code k=v, k=v}, or empty. */
    public String paramText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Whether this is {@code name} (with metric) and has every parameter of {@code wanted}. */
    public boolean matches(String wantedName, Map<String, String> wanted) {
        if (!name().equals(wantedName)) {
            return false;
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(params.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
