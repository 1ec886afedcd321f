/**
 * The IPC provider and the Java API of its event bus.
 *
 * <p>{@link dev.astrid.host.ipc.IpcProvider} is what the host loads; {@link dev.astrid.host.ipc.EventBus}
 * lets the host or an embedding application publish on the same bus the capsules use and subscribe
 * to it from Java.
 */
package dev.astrid.host.ipc;
