package dev.astrid.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the benchmarks need from an {@code astrid_ipc_poll}/{@code astrid_ipc_recv} envelope,
 * {@code {"messages":[...,{...,"seq":N}],"dropped":D,"lagged":L}}, by looking only at its end, so
 * that checking a batch costs a few bytes, not a parse.
 */
final class Envelopes {
    private Envelopes() {}

    /** The index of the {@code ]} that closes the message list. */
    private static int listEnd(byte[] env) {
        // The tail after the list holds no ']', so the last one closes the list.
        for (int i = env.length - 1; i >= 0; i--) {
            if (env[i] == ']') {
                return i;
            }
        }
        throw new IllegalStateException("not an envelope: " + text(env));
    }

    /** The {@code seq} of the newest message in the envelope, or -1 when it holds none. */
    static long lastSeq(byte[] env) {
        int end = listEnd(env);
        if (env[end - 1] == '[') {
            return -1;
        }
        // ...,"seq":123}]
        return digitsBefore(env, end - 1);
    }

    /** The {@code lagged} count. */
    static long lagged(byte[] env) {
        return digitsBefore(env, env.length - 1);
    }

    /** The {@code dropped} count. */
    static long dropped(byte[] env) {
        int i = env.length - 1;
        while (env[i] != ',') {
            i--;
        }
        return digitsBefore(env, i);
    }

    /** Counts the messages by scanning the whole envelope (for one-off checks only). */
    static int count(byte[] env) {
        byte[] marker = "{\"topic\":".getBytes(StandardCharsets.US_ASCII);
        int n = 0;
        outer:
        for (int i = 0; i + marker.length <= env.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (env[i + j] != marker[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }

    /** The decimal number that ends just before {@code env[at]}. */
    private static long digitsBefore(byte[] env, int at) {
        long v = 0;
        long scale = 1;
        int i = at - 1;
        while (i >= 0 && env[i] >= '0' && env[i] <= '9') {
            v += (env[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i == at - 1) {
            throw new IllegalStateException("no number before offset " + at + " in " + text(env));
        }
        return v;
    }

    static String text(byte[] env) {
        String s = new String(env, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 150) + "..." + s.substring(s.length() - 150) : s;
    }
}
