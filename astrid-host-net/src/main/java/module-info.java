/**
 * The net family of host functions: {@code astrid_net_bind_unix}, {@code astrid_net_accept},
 * {@code astrid_net_poll_accept}, {@code astrid_net_read}, {@code astrid_net_write} and
 * {@code astrid_net_close_stream}.
 *
 * <p>Each capsule binds real Unix domain sockets, only inside a private directory of its own
 * ({@code <capsule data dir>/sockets}, mode 0700) and only at names its {@code net_bind} patterns
 * allow; streams carry frames of a big-endian u32 length and that many bytes. The behaviour, every
 * limit and every difference from upstream Astrid are written down in {@code docs/families/net.md}.
 *
 * <p>{@code requires transitive} on the SPI because {@link dev.astrid.host.net.NetProvider}, part of
 * the exported API, is a {@code HostProvider}.
 */
module dev.astrid.host.net {
    requires transitive dev.astrid.host.spi;

    exports dev.astrid.host.net;

    provides dev.astrid.host.spi.HostProvider with dev.astrid.host.net.NetProvider;
}
