/** The HTTP family provider: guarded outbound HTTP requests described in JSON. */
package dev.astrid.host.http;
