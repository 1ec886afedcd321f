/**
 * The implementation of the net family; not exported.
 *
 * <p>{@link dev.astrid.host.net.internal.CapsuleNet} is what one capsule sees: it owns the capsule's
 * {@link dev.astrid.host.net.internal.Listener}s and {@link dev.astrid.host.net.internal.Stream}s,
 * keyed by handles from one counter. {@link dev.astrid.host.net.internal.SocketNames} checks the
 * names a guest asks for, {@link dev.astrid.host.net.internal.SocketDir} places them in the capsule's
 * private directory, and {@link dev.astrid.host.net.internal.FrameDecoder} reassembles frames that
 * arrive in pieces.
 */
package dev.astrid.host.net.internal;
