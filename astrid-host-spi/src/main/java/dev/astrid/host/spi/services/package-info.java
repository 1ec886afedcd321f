/**
 * Host services: what the host, or the application that embeds it, offers every provider through
 * {@link dev.astrid.host.spi.CapsuleContext}. A family that needs a secret kept or a person asked
 * uses these interfaces instead of reaching into another family; an embedding application supplies
 * its own implementations, and tests replace them with scripted ones.
 */
package dev.astrid.host.spi.services;
