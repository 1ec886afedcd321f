package dev.astrid.host.http;

import dev.astrid.host.http.internal.CapsuleHttp;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.host.spi.http.HostRule;
import dev.astrid.host.spi.http.HttpPolicy;
import dev.astrid.sys.abi.ExtensionFunction;
import dev.astrid.sys.abi.HttpFunctions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The built-in provider of the HTTP family: {@code astrid_http_request} and the streaming
 * extension imports {@code astrid_http_stream_start/read/close} on the JDK's HTTP client, through
 * the SPI's {@link dev.astrid.host.spi.http.GuardedHttpClient}.
 *
 * <p>A request goes only to hosts the capsule's {@code net} capability allows (an entry {@code *},
 * the host itself, or a domain the host is under), only to public addresses, checked after the host
 * name is resolved, and to exactly the address that was checked; redirects (at most 5) are checked
 * the same way. Bodies are capped at 10 MiB each way, and the request must finish within the total
 * timeout and the call's own deadline.
 *
 * <p>Settings read from {@link CapsuleContext#settings()} at bind: {@code http.allow-private-addresses}
 * ({@code true} lets requests reach loopback, private and link-local addresses; default
 * {@code false}), {@code http.connect-timeout-ms} (default 10000) and {@code http.timeout-ms}
 * (default 30000), {@code http.stream-read-timeout-ms} (how long one streamed read waits for data,
 * default 120000). At most 4 streams per capsule, reads of at most 64 KiB. See
 * {@code docs/families/http.md}.
 */
public final class HttpProvider implements FamilyProvider<HttpFunctions> {

    /** A provider. */
    public HttpProvider() {
        // Nothing is held between capsules: each binding has its own client.
    }

    @Override
    public String name() {
        return "astrid-host-http";
    }

    @Override
    public TypedFamily<HttpFunctions> typedFamily() {
        return TypedFamily.HTTP;
    }

    /** Every binding also serves the three streaming-HTTP imports. */
    @Override
    public Set<ExtensionFunction> extensions() {
        return EnumSet.of(ExtensionFunction.HTTP_STREAM_START, ExtensionFunction.HTTP_STREAM_READ,
                ExtensionFunction.HTTP_STREAM_CLOSE);
    }

    @Override
    public HttpFunctions bind(CapsuleContext capsule) {
        HttpPolicy policy = HttpPolicy.of(HostRule.netCapability(capsule.capabilities().net()), capsule.settings());
        return new CapsuleHttp(capsule, policy, HttpPolicy.streamReadTimeout(capsule.settings()));
    }
}
