/** JMH benchmarks of Extism's Java SDK on the host benchmarks' guest and host work (the peer column of docs/benchmarks.md). */
package dev.astrid.benchmarks.peer;
