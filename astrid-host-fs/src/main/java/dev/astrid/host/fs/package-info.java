/**
 * The file-system family provider ({@link dev.astrid.host.fs.FsProvider}), its settings
 * ({@link dev.astrid.host.fs.FsSettings}), the per-capsule object it binds
 * ({@link dev.astrid.host.fs.CapsuleFileSystem}) and the guest path mapping
 * ({@link dev.astrid.host.fs.GuestPath}).
 */
package dev.astrid.host.fs;
