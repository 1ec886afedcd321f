package dev.astrid.host.spi;

import java.io.EOFException;

/**
 * Turns the exception of a JSON parser (Gson's, which every provider here uses) into one short
 * reason for a guest: where the input went wrong, without exception class names, JSON paths,
 * advice for Java programmers or links. It needs no Gson type, so it lives in the SPI.
 */
public final class JsonErrors {
    private static final String LENIENT_ADVICE = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";

    private JsonErrors() {}

    /**
     * The reason, for example {@code malformed JSON at line 1 column 2},
     * {@code unexpected end of input} or {@code nested deeper than 128 levels}.
     *
     * @throws Error the error the parser wrapped (out of memory, stack overflow): that is the
     *     host's trouble, not a fault of the input, and must not be reported as one
     */
    public static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof EOFException) {
            return "unexpected end of input";
        }
        String m = t.getMessage() == null ? "malformed JSON" : t.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        if (m.startsWith("Nesting limit ")) {
            // "Nesting limit N reached at ...": the limit is what the author needs to know.
            int end = m.indexOf(" reached");
            return "nested deeper than " + (end > 0 ? m.substring("Nesting limit ".length(), end) : "the limit") + " levels";
        }
        m = m.replace(LENIENT_ADVICE, "malformed JSON");
        int path = m.indexOf(" path $");
        return path >= 0 ? m.substring(0, path) : m;
    }
}
