package dev.astrid.host.spi.http;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.ProviderSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What a {@link GuardedHttpClient} may do.
 *
 * @param hosts the host names requests (and every redirect) may go to
 * @param allowPrivateAddresses whether the addresses {@link AddressRules} refuses are allowed
 *     (setting {@value #ALLOW_PRIVATE_ADDRESSES}, default false)
 * @param maxRequestBytes the largest request body
 * @param maxResponseBytes the largest response body; a longer one fails the request
 * @param connectTimeout how long connecting may take (setting {@value #CONNECT_TIMEOUT_MS}, default 10 s)
 * @param totalTimeout how long the whole exchange, redirects and body included, may take (setting
 *     {@value #TIMEOUT_MS}, default 30 s); both are cut to what is left of the guest call
 * @param maxRedirects how many redirects are followed (5)
 * @param sslContext the TLS context, empty for the JDK's default (its trust store)
 */
public record HttpPolicy(HostRule hosts, boolean allowPrivateAddresses, long maxRequestBytes, long maxResponseBytes,
        Duration connectTimeout, Duration totalTimeout, int maxRedirects, Optional<SSLContext> sslContext) {

    /** The setting that allows private, loopback and link-local addresses: {@code true} or {@code false}. */
    public static final String ALLOW_PRIVATE_ADDRESSES = "http.allow-private-addresses";
    /** The setting of the connect timeout, in milliseconds. */
    public static final String CONNECT_TIMEOUT_MS = "http.connect-timeout-ms";
    /** The setting of the total timeout, in milliseconds. */
    public static final String TIMEOUT_MS = "http.timeout-ms";
    /** The default connect timeout: 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default total timeout: 30 s, upstream's. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The setting of how long one read of a streamed body waits for data, in milliseconds. */
    public static final String STREAM_READ_TIMEOUT_MS = "http.stream-read-timeout-ms";
    /** The default wait of one streamed read: 120 s, upstream's per-chunk timeout. */
    public static final Duration DEFAULT_STREAM_READ_TIMEOUT = Duration.ofSeconds(120);
    /** Redirects followed: 5. */
    public static final int MAX_REDIRECTS = 5;

    /** Checks the values. */
    public HttpPolicy {
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(sslContext, "sslContext");
        if (maxRequestBytes < 0 || maxResponseBytes < 0 || maxRedirects < 0 || connectTimeout.isNegative()
                || connectTimeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("limits and timeouts must be positive");
        }
    }

    /**
     * The policy for capsules: the rule given, the settings' address rule and timeouts, bodies of at
     * most 10 MiB, 5 redirects, the JDK's TLS defaults.
     *
     * @throws HostException naming the setting when one is malformed or out of range
     */
    public static HttpPolicy of(HostRule hosts, ProviderSettings settings) {
        return new HttpPolicy(hosts, allowPrivateAddresses(settings), PayloadLimits.MAX_GUEST_PAYLOAD,
                PayloadLimits.MAX_GUEST_PAYLOAD, millis(settings, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT),
                millis(settings, TIMEOUT_MS, DEFAULT_TIMEOUT), MAX_REDIRECTS, Optional.empty());
    }

    /**
     * The setting {@value #ALLOW_PRIVATE_ADDRESSES}: exactly {@code true} or {@code false}, false when unset.
     *
     * @throws HostException naming the setting for any other value
     */
    public static boolean allowPrivateAddresses(ProviderSettings settings) {
        String v = settings.get(ALLOW_PRIVATE_ADDRESSES).map(String::trim).orElse("false");
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new HostException("setting " + ALLOW_PRIVATE_ADDRESSES + " must be true or false, got '" + v + "'");
    }

    /**
     * The setting {@value #STREAM_READ_TIMEOUT_MS}: 1 … 3 600 000, default
     * {@link #DEFAULT_STREAM_READ_TIMEOUT}.
     *
     * @throws HostException naming the setting when it is malformed or out of range
     */
    public static Duration streamReadTimeout(ProviderSettings settings) {
        return millis(settings, STREAM_READ_TIMEOUT_MS, DEFAULT_STREAM_READ_TIMEOUT);
    }

    private static Duration millis(ProviderSettings s, String key, Duration dflt) {
        long v = s.getLong(key, dflt.toMillis());
        if (v < 1 || v > 3_600_000) {
            throw new HostException("setting " + key + " must be between 1 and 3600000, got " + v);
        }
        return Duration.ofMillis(v);
    }

    /** This policy with other body limits. */
    public HttpPolicy withBodyLimits(long maxRequest, long maxResponse) {
        return new HttpPolicy(hosts, allowPrivateAddresses, maxRequest, maxResponse, connectTimeout, totalTimeout,
                maxRedirects, sslContext);
    }

    /** This policy with another TLS context (for example one that trusts a test certificate). */
    public HttpPolicy withSslContext(SSLContext context) {
        return new HttpPolicy(hosts, allowPrivateAddresses, maxRequestBytes, maxResponseBytes, connectTimeout,
                totalTimeout, maxRedirects, Optional.of(context));
    }
}
