package dev.astrid.host.fs;

import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.PayloadLimits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A guest path mapped onto a root: which root it names and its segments below that root.
 *
 * <p>{@link #parse(byte[])} is the whole mapping, and it is purely lexical (it never looks at the
 * disk; symbolic links are the sandbox's business):
 * <ol>
 *   <li>the raw bytes must be at most {@value #MAX_LENGTH} long, hold no NUL byte and be valid
 *       UTF-8, else the call is refused;
 *   <li>{@code global://} and {@code home://} select the {@link Root#HOME home root},
 *       {@code tmp://} the capsule's private {@link Root#TMP temporary directory} (where SDK 0.5
 *       guests' {@code /tmp} paths go, see docs/profiles.md), {@code cwd://} or no scheme the
 *       {@link Root#WORKSPACE workspace root}; any other text, {@code workspace://} included, is an
 *       ordinary relative path;
 *   <li>the rest is split on {@code /}; empty and {@code .} segments are dropped, so a leading
 *       {@code /} is relative to the root;
 *   <li>{@code ..} removes the previous segment; a {@code ..} with nothing left to remove leaves
 *       the root and is refused ("path escapes root boundary").
 * </ol>
 * The empty path (and {@code /}, {@code global://}, {@code a/..}) names the root itself.
 *
 * @param root the root the path lives in
 * @param segments the normalized segments below the root; never {@code ""}, {@code .} or {@code ..}
 * @param text the path as the guest wrote it (decoded), for messages
 */
public record GuestPath(Root root, List<String> segments, String text) {

    /** The longest path accepted, in bytes. */
    public static final int MAX_LENGTH = PayloadLimits.MAX_PATH;

    /** Longest guest text echoed back in a message; longer paths are cut to keep traps readable. */
    private static final int MAX_SHOWN = 200;

    /** The roots a guest path can name. */
    public enum Root {
        /** The capsule's workspace (plain paths and {@code cwd://}). */
        WORKSPACE("workspace root"),
        /** The host's shared home root ({@code global://}, {@code home://}). */
        HOME("home root"),
        /** The capsule's private temporary directory ({@code tmp://}), emptied when the capsule unloads. */
        TMP("temporary directory");

        private final String label;

        Root(String label) {
            this.label = label;
        }

        /** Words for messages, e.g. {@code workspace root}. */
        public String label() {
            return label;
        }
    }

    /** Checks that root and text are set and makes the segments immutable. */
    public GuestPath {
        Objects.requireNonNull(root, "root");
        segments = List.copyOf(segments);
        Objects.requireNonNull(text, "text");
    }

    /**
     * Maps raw guest bytes onto a root.
     *
     * @throws HostException when the path is too long, holds a NUL byte, is not valid UTF-8, or
     *     its {@code ..} segments climb above the root
     */
    public static GuestPath parse(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length > MAX_LENGTH) {
            throw new HostException("path is too long: " + raw.length + " bytes, the limit is " + MAX_LENGTH);
        }
        for (byte b : raw) {
            if (b == 0) {
                throw new HostException("path contains a NUL byte");
            }
        }
        String text = decode(raw);
        Root root = Root.WORKSPACE;
        String rest = text;
        for (String scheme : new String[] {"global://", "home://", "cwd://", "tmp://"}) {
            if (text.startsWith(scheme)) {
                root = scheme.equals("cwd://") ? Root.WORKSPACE : scheme.equals("tmp://") ? Root.TMP : Root.HOME;
                rest = text.substring(scheme.length());
                break;
            }
        }
        List<String> out = new ArrayList<>();
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (out.isEmpty()) {
                    throw new HostException("path escapes root boundary: " + shown(text) + " climbs above the "
                            + root.label());
                }
                out.remove(out.size() - 1);
            } else {
                out.add(segment);
            }
        }
        return new GuestPath(root, out, text);
    }

    /** Whether the path names the root itself. */
    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The normalized path below the root, segments joined with {@code /}; empty for the root. */
    public String relative() {
        return String.join("/", segments);
    }

    /** The guest's own spelling, made safe for a message (control characters escaped, long text cut). */
    @Override
    public String toString() {
        return shown(text);
    }

    // Strict decoding: upstream mapped invalid UTF-8 to the root, which turned garbage into a
    // request on the whole workspace. We refuse instead (see docs/families/fs.md).
    private static String decode(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HostException("path is not valid UTF-8");
        }
    }

    private static String shown(String text) {
        if (text.isEmpty()) {
            return "\"\"";
        }
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(text.length(), MAX_SHOWN);
        if (limit < text.length() && Character.isHighSurrogate(text.charAt(limit - 1))) {
            limit--; // do not cut a character in half
        }
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > MAX_SHOWN) {
            sb.append("...");
        }
        return sb.toString();
    }
}
