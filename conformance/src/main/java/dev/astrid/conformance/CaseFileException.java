package dev.astrid.conformance;

/** A case file is malformed; the message names the file and the case. */
final class CaseFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CaseFileException(String message) {
        super(message);
    }
}
