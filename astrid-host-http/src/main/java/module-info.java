/**
 * The HTTP family of host functions: {@code astrid_http_request}, and the streaming imports
 * {@code astrid_http_stream_start/read/close} of SDK 0.2.2.
 *
 * <p>A capsule describes a request in JSON; it goes out only to hosts its {@code net} list allows,
 * only to public addresses checked after the name is resolved (and to exactly that address), with
 * bodies of at most 10 MiB, timeouts under the call's deadline and at most 5 redirects, each
 * checked again. The sending is the SPI's {@code GuardedHttpClient}, shared with the Extism
 * kernel's {@code http_request}. Formats, limits, settings and every difference from upstream
 * Astrid are in {@code docs/families/http.md}.
 *
 * <p>{@code requires transitive} on the SPI because {@link dev.astrid.host.http.HttpProvider}, part
 * of the exported API, is a {@code HostProvider}.
 */
module dev.astrid.host.http {
    requires transitive dev.astrid.host.spi;
    requires com.google.gson;

    exports dev.astrid.host.http;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.http.HttpProvider;
}
