/**
 * The implementation of the IPC family; not exported.
 *
 * <p>{@link dev.astrid.host.ipc.internal.Bus} routes messages to {@link dev.astrid.host.ipc.internal.Recipient}s:
 * bounded {@link dev.astrid.host.ipc.internal.SubscriptionQueue}s and per-capsule
 * {@link dev.astrid.host.ipc.internal.InterceptorDispatcher}s. {@link dev.astrid.host.ipc.internal.CapsuleIpc}
 * is the byte-level adapter one capsule sees.
 */
package dev.astrid.host.ipc.internal;
