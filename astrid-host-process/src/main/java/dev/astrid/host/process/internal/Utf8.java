package dev.astrid.host.process.internal;

/** UTF-8 helpers for output read in chunks. */
final class Utf8 {
    private Utf8() {}

    /**
     * How many bytes at the end of {@code b} are the start of a UTF-8 character whose remaining
     * bytes have not arrived yet (0 to 3). Bytes that can never become a character count as
     * complete: they are not held back.
     */
    static int incompleteTail(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xc0) == 0x80) {
                continue; // a continuation byte: look further back for the lead byte
            }
            int need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
            return need > back && c < 0xf5 ? back : 0;
        }
        return 0;
    }
}
