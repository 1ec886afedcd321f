/**
 * Outbound HTTP that a capsule may ask for, guarded: the one implementation behind
 * {@code astrid_http_request}, the streaming {@code astrid_http_stream_*} imports and the Extism
 * kernel's {@code http_request}.
 *
 * <p>{@link dev.astrid.host.spi.http.GuardedHttpClient} sends a
 * {@link dev.astrid.host.spi.http.GuardedRequest} under an {@link dev.astrid.host.spi.http.HttpPolicy}:
 * only to hosts its {@link dev.astrid.host.spi.http.HostRule} allows, only to addresses
 * {@link dev.astrid.host.spi.http.AddressRules} accepts after the name is resolved, to exactly the
 * address that was checked, with bounded bodies, timeouts under the guest call's deadline and
 * redirects re-checked hop by hop; {@link dev.astrid.host.spi.http.GuardedHttpClient#open} does the
 * same and hands the body out piece by piece as a {@link dev.astrid.host.spi.http.GuardedStream}.
 */
package dev.astrid.host.spi.http;
