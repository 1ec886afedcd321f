package dev.astrid.benchmarks.report;

/** A result file or document the report cannot use; the message says which and why. */
public final class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message for the person running the report. */
    public ReportException(String message) {
        super(message);
    }
}
