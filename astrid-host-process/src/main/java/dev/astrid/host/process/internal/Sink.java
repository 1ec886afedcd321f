package dev.astrid.host.process.internal;

/** Where a {@link Pump} puts what a process writes to one of its streams. */
interface Sink {
    /** Takes bytes the process wrote. */
    void write(byte[] b, int off, int len);

    /** The stream reached its end (or failed): nothing more will come. */
    void end();
}
