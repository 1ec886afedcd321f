/** The process family provider (not provided yet). */
package dev.astrid.host.process;
