package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.security.TopicPatterns;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the bus files a recipient so that a publish looks only at plausible candidates instead of
 * every subscription on the host.
 */
public sealed interface RouteKey {

    /** Only a topic equal to this string can match (a pattern without a {@code *} segment). */
    record Exact(String topic) implements RouteKey {}

    /** Only topics whose first segment is one of these can match. */
    record FirstSegment(Set<String> segments) implements RouteKey {
        public FirstSegment {
            segments = Set.copyOf(segments);
        }
    }

    /** Any topic may match (a pattern starting with {@code *}). */
    record Any() implements RouteKey {}

    /** No topic can match. */
    record Never() implements RouteKey {}

    /** The key of a pattern used with {@link TopicPatterns#deliveryMatches}. */
    static RouteKey forDelivery(String pattern) {
        if (!TopicPatterns.hasValidSegments(pattern)) {
            return new Never();
        }
        String[] segments = pattern.split("\\.", -1);
        boolean wildcard = false;
        for (String s : segments) {
            wildcard |= s.equals("*");
        }
        if (!wildcard) {
            // Without a '*' segment the delivery matcher matches exactly the equal topic, and only
            // when it is no deeper than MAX_DELIVERY_DEPTH.
            return segments.length <= TopicPatterns.MAX_DELIVERY_DEPTH ? new Exact(pattern) : new Never();
        }
        return segments[0].equals("*") ? new Any() : new FirstSegment(Set.of(segments[0]));
    }

    /** The key of a set of patterns used with {@link TopicPatterns#aclMatches}. */
    static RouteKey forAcl(List<String> patterns) {
        Set<String> firsts = new LinkedHashSet<>();
        for (String p : patterns) {
            if (!TopicPatterns.hasValidSegments(p)) {
                continue;
            }
            int dot = p.indexOf('.');
            String first = dot < 0 ? p : p.substring(0, dot);
            if (first.equals("*")) {
                return new Any();
            }
            firsts.add(first);
        }
        return firsts.isEmpty() ? new Never() : new FirstSegment(firsts);
    }
}
