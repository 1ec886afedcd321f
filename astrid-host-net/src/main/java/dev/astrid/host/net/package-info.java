/** The net family provider (not provided yet). */
package dev.astrid.host.net;
