package dev.astrid.host.spi.security;

/**
 * Topic validity and the two topic matchers of the event bus.
 *
 * <p>A topic is a dot-separated list of non-empty segments. A pattern segment {@code *} stands for
 * exactly one segment. The two matchers differ on purpose:
 *
 * <ul>
 *   <li>{@link #aclMatches} decides permissions (publish and subscribe capabilities, interceptor
 *       and hook dispatch): the topic and the pattern must have the same number of segments.
 *   <li>{@link #deliveryMatches} decides which subscriptions receive a message: a pattern ending in
 *       {@code .*} also receives every deeper topic under its prefix.
 * </ul>
 *
 * So the capability {@code ipc_subscribe = ["foo.*"]} lets a capsule subscribe to the pattern
 * {@code foo.*}, and that subscription then receives {@code foo.x.y.z} too.
 */
public final class TopicPatterns {
    /** Topics deeper than this never reach a subscription. */
    public static final int MAX_DELIVERY_DEPTH = 20;

    private TopicPatterns() {}

    /** Whether a topic or pattern is non-empty and has no empty segment. */
    public static boolean hasValidSegments(String topic) {
        if (topic == null || topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '.' || topic.charAt(topic.length() - 1) == '.') {
            return false;
        }
        return !topic.contains("..");
    }

    /** The number of segments of a topic. */
    public static int segmentCount(String topic) {
        int n = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    /**
     * The permission matcher: both valid, the same number of segments, and each pattern segment
     * either {@code *} or equal to the topic's.
     */
    public static boolean aclMatches(String topic, String pattern) {
        if (!hasValidSegments(topic) || !hasValidSegments(pattern)) {
            return false;
        }
        String[] t = topic.split("\\.", -1);
        String[] p = pattern.split("\\.", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(t[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a capability list allows a topic: some pattern {@link #aclMatches} it. An empty list
     * allows nothing (capabilities are fail-closed).
     */
    public static boolean aclPermits(String topic, java.util.List<String> patterns) {
        for (String p : patterns) {
            if (aclMatches(topic, p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The delivery matcher. Topics deeper than {@value #MAX_DELIVERY_DEPTH} segments never match.
     * A pattern ending in {@code .*} matches when its leading segments match and the topic has at
     * least one more segment; any other pattern matches segment by segment with equal counts.
     */
    public static boolean deliveryMatches(String topic, String pattern) {
        if (!hasValidSegments(topic) || !hasValidSegments(pattern)) {
            return false;
        }
        String[] t = topic.split("\\.", -1);
        if (t.length > MAX_DELIVERY_DEPTH) {
            return false;
        }
        String[] p = pattern.split("\\.", -1);
        if (p.length > 1 && p[p.length - 1].equals("*")) {
            int prefix = p.length - 1;
            if (t.length <= prefix) {
                return false;
            }
            for (int i = 0; i < prefix; i++) {
                if (!p[i].equals("*") && !p[i].equals(t[i])) {
                    return false;
                }
            }
            return true;
        }
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(t[i])) {
                return false;
            }
        }
        return true;
    }
}
