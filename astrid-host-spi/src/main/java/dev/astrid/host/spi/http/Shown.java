package dev.astrid.host.spi.http;

import dev.astrid.host.spi.PrintableText;

/** Guest text quoted in a reason: escaped for one line, and cut, since a URL may be 10 MiB long. */
final class Shown {
    static final int MAX = 200;

    private Shown() {}

    static String of(String text) {
        String s = text.length() > MAX ? text.substring(0, MAX) + "…" : text;
        return PrintableText.escape(s);
    }
}
