/**
 * The implementation behind {@link dev.astrid.host.fs.FsProvider}: the sandbox that turns a
 * {@link dev.astrid.host.fs.GuestPath} into a location, the direct and overlay layers, the overlay
 * commit, atomic file replacement and the byte-level adapter. Not exported.
 */
package dev.astrid.host.fs.internal;
