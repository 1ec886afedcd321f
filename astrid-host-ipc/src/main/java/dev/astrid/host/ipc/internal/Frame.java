package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.security.TopicPatterns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.UUID;

/**
 * A bus message as it travels between hosts: version 1, the sending host's id, the topic, the
 * mapped payload and its kind, the publisher's source id and the timestamp. The payload was
 * validated and mapped by the sending host (mapping may add a wrapper or escapes, hence the payload
 * bound of twice the bus's limit); the receiver checks the frame's shape and bounds.
 */
final class Frame {
    private static final int VERSION = 1;

    final UUID host;
    final String topic;
    final MappedPayload payload;
    final UUID sourceId;
    final Instant timestamp;

    private Frame(UUID host, String topic, MappedPayload payload, UUID sourceId, Instant timestamp) {
        this.host = host;
        this.topic = topic;
        this.payload = payload;
        this.sourceId = sourceId;
        this.timestamp = timestamp;
    }

    static byte[] encode(UUID host, String topic, MappedPayload payload, UUID sourceId, Instant timestamp) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + t.length + payload.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(host.getMostSignificantBits());
            out.writeLong(host.getLeastSignificantBits());
            out.writeInt(t.length);
            out.write(t);
            out.writeByte(payload.kind().ordinal());
            out.writeInt(payload.length());
            out.write(payload.json());
            out.writeLong(sourceId.getMostSignificantBits());
            out.writeLong(sourceId.getLeastSignificantBits());
            out.writeLong(timestamp.getEpochSecond());
            out.writeInt(timestamp.getNano());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a frame.
     *
     * @throws IllegalArgumentException when the bytes are not a well-formed frame within the bus's limits
     */
    static Frame decode(byte[] frame) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("frame version " + version + ", this host reads " + VERSION);
            }
            UUID host = new UUID(in.readLong(), in.readLong());
            String topic = GuestText.decodeStrict(bytes(in, Bus.MAX_PAYLOAD, "topic"));
            if (!TopicPatterns.hasValidSegments(topic)) {
                throw new IllegalArgumentException("invalid topic");
            }
            int kind = in.readUnsignedByte();
            MappedPayload.Kind[] kinds = MappedPayload.Kind.values();
            if (kind >= kinds.length) {
                throw new IllegalArgumentException("unknown payload kind " + kind);
            }
            byte[] json = bytes(in, 2 * Bus.MAX_PAYLOAD, "payload");
            UUID source = new UUID(in.readLong(), in.readLong());
            Instant timestamp = Instant.ofEpochSecond(in.readLong(), in.readInt());
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new Frame(host, topic, new MappedPayload(json, kinds[kind]), source, timestamp);
        } catch (IOException | DateTimeException e) {
            throw new IllegalArgumentException("truncated or malformed frame", e);
        }
    }

    private static byte[] bytes(DataInputStream in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max || n > in.available()) {
            throw new IllegalArgumentException(what + " length " + n + " out of range");
        }
        return in.readNBytes(n);
    }
}
