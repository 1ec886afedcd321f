/** The net family provider: Unix domain sockets with length-prefixed frames. */
package dev.astrid.host.net;
