/**
 * The implementation of the HTTP family; not exported. {@link dev.astrid.host.http.internal.CapsuleHttp}
 * is what one capsule sees: it reads the request JSON, sends it through the SPI's guarded client
 * under the capsule's policy and writes the response JSON; its
 * {@link dev.astrid.host.http.internal.HttpStreams} holds the capsule's open response streams.
 */
package dev.astrid.host.http.internal;
