/** The generator of docs/benchmarks.md's figures (table and SVG chart) from JMH's JSON results. */
package dev.astrid.benchmarks.report;
