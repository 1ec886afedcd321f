package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.security.TopicPatterns;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code ipc_publish} or {@code ipc_subscribe} capability: fail-closed when empty, matched with
 * {@link TopicPatterns#aclMatches}. Topics already allowed are remembered (up to a bound) because a
 * capsule tends to publish on the same few topics over and over.
 */
final class TopicAcl {
    private static final int CACHE_LIMIT = 512;

    private final List<String> patterns;
    private final Map<String, Boolean> allowed = new ConcurrentHashMap<>();

    TopicAcl(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    List<String> patterns() {
        return patterns;
    }

    boolean permits(String topic) {
        if (allowed.containsKey(topic)) {
            return true;
        }
        for (String p : patterns) {
            if (TopicPatterns.aclMatches(topic, p)) {
                if (allowed.size() < CACHE_LIMIT) {
                    allowed.put(topic, Boolean.TRUE);
                }
                return true;
            }
        }
        return false;
    }
}
