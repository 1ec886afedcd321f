package dev.astrid.host.spi.services;

import java.util.List;

/**
 * A person's answer to a {@link Question}: one value, or several for an
 * {@link Question.Kind#ARRAY} question.
 *
 * @param values the values given, in order
 */
public record Answer(List<String> values) {

    /** Copies the values. */
    public Answer {
        values = List.copyOf(values);
    }

    /** An answer of one value. */
    public static Answer of(String value) {
        return new Answer(List.of(value));
    }

    /** The first value, or the empty string when there is none. */
    public String value() {
        return values.isEmpty() ? "" : values.get(0);
    }
}
