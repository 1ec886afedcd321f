package dev.astrid.host.ipc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.astrid.host.spi.security.TopicPatterns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The routing index only narrows candidates; what is delivered is exactly what TopicPatterns says. */
class RoutingTest {

    private static final List<String> PATTERNS = List.of("a", "*", "a.b", "a.*", "*.b", "a.b.c", "a.*.c", "*.*",
            "a.b.*", "*.b.*", "x.y", "x.*", "a.b.c.d", "s" + ".s".repeat(19), "s" + ".s".repeat(20), "s.*");
    private static final List<String> TOPICS = List.of("a", "b", "a.b", "a.c", "x.b", "a.b.c", "a.x.c", "a.b.c.d",
            "a.b.c.d.e", "x.y", "x.y.z", "*", "a.*", "s" + ".s".repeat(19), "s" + ".s".repeat(20), "s.s");

    /** A recipient that records what it is offered and accepts what the delivery matcher accepts. */
    private static final class Probe implements Recipient {
        final String pattern;
        final List<String> got = new ArrayList<>();

        Probe(String pattern) {
            this.pattern = pattern;
        }

        @Override
        public RouteKey routeKey() {
            return RouteKey.forDelivery(pattern);
        }

        @Override
        public void offer(Posted message) {
            if (TopicPatterns.deliveryMatches(message.topic(), pattern)) {
                got.add(message.topic());
            }
        }
    }

    private static Posted message(String topic) {
        return new Posted(1, topic, PayloadMapper.map("1"), UUID.randomUUID(), Instant.EPOCH);
    }

    @Test
    void everyMatchingRecipientIsOfferedTheMessageExactlyOnce() {
        List<Probe> probes = new ArrayList<>();
        for (String p : PATTERNS) {
            probes.add(new Probe(p));
        }
        Routes routes = Routes.of(new ArrayList<>(probes));
        for (String t : TOPICS) {
            routes.offer(message(t));
        }
        for (Probe p : probes) {
            List<String> expected = new ArrayList<>();
            for (String t : TOPICS) {
                if (TopicPatterns.deliveryMatches(t, p.pattern)) {
                    expected.add(t);
                }
            }
            assertThat(p.got).as("pattern %s", p.pattern).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void subscriptionQueuesAcceptExactlyWhatTheDeliveryMatcherAccepts() {
        Bus bus = new Bus(java.time.Clock.systemUTC());
        List<SubscriptionQueue> queues = new ArrayList<>();
        for (String p : PATTERNS) {
            queues.add(bus.subscribeQueue(p, 1024, Bus.DEFAULT_QUEUE_MAX_BYTES));
        }
        for (String t : TOPICS) {
            bus.post(t, PayloadMapper.map("1"), UUID.randomUUID(), Instant.EPOCH);
        }
        for (SubscriptionQueue q : queues) {
            List<String> expected = new ArrayList<>();
            for (String t : TOPICS) {
                if (TopicPatterns.deliveryMatches(t, q.pattern())) {
                    expected.add(t);
                }
            }
            List<String> got = new ArrayList<>();
            for (Posted m : q.drain(Long.MAX_VALUE).messages()) {
                got.add(m.topic());
            }
            assertThat(got).as("pattern %s", q.pattern()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void keysNarrowAsExpected() {
        assertThat(RouteKey.forDelivery("a.b")).isEqualTo(new RouteKey.Exact("a.b"));
        assertThat(RouteKey.forDelivery("a.*")).isEqualTo(new RouteKey.FirstSegment(Set.of("a")));
        assertThat(RouteKey.forDelivery("*.b")).isEqualTo(new RouteKey.Any());
        assertThat(RouteKey.forDelivery("a..b")).isEqualTo(new RouteKey.Never());
        assertThat(RouteKey.forDelivery("s" + ".s".repeat(20))).isEqualTo(new RouteKey.Never());
        assertThat(RouteKey.forAcl(List.of("a.b", "c.*"))).isEqualTo(new RouteKey.FirstSegment(Set.of("a", "c")));
        assertThat(RouteKey.forAcl(List.of("a.b", "*.c"))).isEqualTo(new RouteKey.Any());
        assertThat(RouteKey.forAcl(List.of())).isEqualTo(new RouteKey.Never());
    }

    @Test
    void aFailingRecipientDoesNotStopTheOthers() {
        Probe after = new Probe("a.b");
        Recipient broken = new Recipient() {
            @Override
            public RouteKey routeKey() {
                return new RouteKey.Exact("a.b");
            }

            @Override
            public void offer(Posted message) {
                throw new IllegalStateException("broken on purpose");
            }
        };
        Routes.of(List.of(broken, after)).offer(message("a.b"));
        assertThat(after.got).containsExactly("a.b");
    }
}
