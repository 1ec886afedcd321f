package dev.astrid.host.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Frames reassembled from a real (non-blocking) pipe, however the bytes are split. */
class FrameDecoderTest {
    private Pipe pipe;

    @BeforeEach
    void open() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
    }

    private void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            pipe.sink().write(b);
        }
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    @Test
    void aFrameSplitAtEveryByteIsWholeOnlyAfterItsLastByte() throws IOException {
        byte[] wire = frame("split everywhere".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        FrameDecoder d = new FrameDecoder(1024);
        for (int i = 0; i < wire.length - 1; i++) {
            send(new byte[] {wire[i]});
            assertThat(d.poll(pipe.source())).as("after byte %d", i).isNull();
            assertThat(d.midFrame()).isTrue();
            assertThat(d.received()).isEqualTo(i + 1);
        }
        send(new byte[] {wire[wire.length - 1]});
        assertThat(d.poll(pipe.source())).isEqualTo("split everywhere".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(d.midFrame()).isFalse();
    }

    @Test
    void framesBackToBackComeOutOneAtATimeAndNothingIsReadAhead() throws Exception {
        List<byte[]> payloads = List.of(new byte[] {1}, new byte[0], new byte[300_000], new byte[] {9, 8, 7});
        Arrays.fill(payloads.get(2), (byte) 42);
        FrameDecoder d = new FrameDecoder(1 << 20);
        List<byte[]> out = new ArrayList<>();
        Thread sender = new Thread(() -> {
            try {
                for (byte[] p : payloads) {
                    send(frame(p));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        sender.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (out.size() < payloads.size() && System.nanoTime() - deadline < 0) {
            byte[] f = d.poll(pipe.source());
            if (f != null) {
                out.add(f);
            }
        }
        sender.join(30_000);
        assertThat(out).hasSize(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(out.get(i)).as("frame %d", i).isEqualTo(payloads.get(i));
        }
    }

    @Test
    void aLargeAnnouncementWaitsForItsBody() throws IOException {
        FrameDecoder d = new FrameDecoder(10 * 1024 * 1024);
        send(ByteBuffer.allocate(4).putInt(10 * 1024 * 1024).array());
        assertThat(d.poll(pipe.source())).isNull();
        assertThat(d.announced()).isEqualTo(10 * 1024 * 1024);
        assertThat(d.received()).isEqualTo(4);
    }

    @Test
    void anAnnouncementOverTheLimitIsRefusedAtTheHeader() throws IOException {
        FrameDecoder d = new FrameDecoder(100);
        send(ByteBuffer.allocate(4).putInt(101).array());
        FrameDecoder.OversizeFrame e = catchThrowableOfType(FrameDecoder.OversizeFrame.class, () -> d.poll(pipe.source()));
        assertThat(e.length).isEqualTo(101);
        FrameDecoder huge = new FrameDecoder(100);
        send(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThat(catchThrowableOfType(FrameDecoder.OversizeFrame.class, () -> huge.poll(pipe.source())).length)
                .as("the length is unsigned").isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void theEndOfTheStreamIsReportedWithWhatHadArrived() throws IOException {
        FrameDecoder d = new FrameDecoder(100);
        send(new byte[] {0, 0, 0, 10, 1, 2, 3});
        assertThat(d.poll(pipe.source())).isNull();
        pipe.sink().close();
        catchThrowableOfType(EOFException.class, () -> d.poll(pipe.source()));
        assertThat(d.midFrame()).isTrue();
        assertThat(d.received()).isEqualTo(7);
    }
}
