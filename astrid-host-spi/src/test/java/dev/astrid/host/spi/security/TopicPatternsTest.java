package dev.astrid.host.spi.security;

import static dev.astrid.host.spi.security.TopicPatterns.aclMatches;
import static dev.astrid.host.spi.security.TopicPatterns.deliveryMatches;
import static dev.astrid.host.spi.security.TopicPatterns.hasValidSegments;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicPatternsTest {

    @Test
    void segmentValidity() {
        assertThat(hasValidSegments("a")).isTrue();
        assertThat(hasValidSegments("a.b.c")).isTrue();
        assertThat(hasValidSegments("")).isFalse();
        assertThat(hasValidSegments(".a")).isFalse();
        assertThat(hasValidSegments("a.")).isFalse();
        assertThat(hasValidSegments("a..b")).isFalse();
        assertThat(hasValidSegments(null)).isFalse();
    }

    @Test
    void aclMatcherNeedsEqualSegmentCounts() {
        assertThat(aclMatches("a.b", "a.b")).isTrue();
        assertThat(aclMatches("a.b", "a.*")).isTrue();
        assertThat(aclMatches("a.*", "a.*")).isTrue();
        assertThat(aclMatches("a.b.c", "a.*")).isFalse();
        assertThat(aclMatches("a", "a.*")).isFalse();
        assertThat(aclMatches("a.b", "*.b")).isTrue();
        assertThat(aclMatches("a.b", "a.c")).isFalse();
        assertThat(aclMatches("a..b", "a.*.b")).isFalse();
        assertThat(aclMatches("a.b", "a..")).isFalse();
    }

    @Test
    void deliveryMatcherTrailingWildcardTakesAnyDepth() {
        assertThat(deliveryMatches("a.b.c", "a.b.*")).isTrue();
        assertThat(deliveryMatches("a.b.c.d", "a.b.*")).isTrue();
        assertThat(deliveryMatches("a.b", "a.b.*")).isFalse();
        assertThat(deliveryMatches("x.b.c", "*.b.*")).isTrue();
    }

    @Test
    void deliveryMatcherExactAndMidWildcard() {
        assertThat(deliveryMatches("a.b.c", "a.b.c")).isTrue();
        assertThat(deliveryMatches("a.x.c", "a.*.c")).isTrue();
        assertThat(deliveryMatches("a.x.y.c", "a.*.c")).isFalse();
        assertThat(deliveryMatches("anything", "*")).isTrue();
        assertThat(deliveryMatches("two.segs", "*")).isFalse();
    }

    @Test
    void deliveryMatcherNeverMatchesAShorterTopic() {
        // upstream let pattern a.b.c receive topic a.b; this host does not
        assertThat(deliveryMatches("a.b", "a.b.c")).isFalse();
        assertThat(deliveryMatches("a.x", "a.*.c")).isFalse();
        assertThat(deliveryMatches("a", "a.b.c")).isFalse();
    }

    @Test
    void deliveryMatcherIgnoresTopicsDeeperThanTwenty() {
        String twenty = "s" + ".s".repeat(19);
        String twentyOne = twenty + ".s";
        assertThat(deliveryMatches(twenty, "s.*")).isTrue();
        assertThat(deliveryMatches(twentyOne, "s.*")).isFalse();
    }

    @Test
    void theTwoMatchersDisagreeOnDeeperTopics() {
        assertThat(aclMatches("foo.x.y.z", "foo.*")).isFalse();
        assertThat(deliveryMatches("foo.x.y.z", "foo.*")).isTrue();
    }

    @Test
    void aclPermitsWhenAnyPatternMatchesAndNeverWithNone() {
        assertThat(TopicPatterns.aclPermits("a.b", java.util.List.of("x.*", "a.*"))).isTrue();
        assertThat(TopicPatterns.aclPermits("a.b.c", java.util.List.of("a.*"))).isFalse();
        assertThat(TopicPatterns.aclPermits("a.b", java.util.List.of())).isFalse();
    }
}
