package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@code /ws} subscriber on the edge, after its 101: it writes each event as an RFC 6455 text
 * frame, keeps a quiet feed alive, answers pings, echoes a close and leaves the stream.
 */
class EdgeWsSubscriberTest {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    private final FanOut<WsFeed.Frame> feeds = new FanOut<>(WsFeed.Frame::of);
    private final AtomicInteger cutOff = new AtomicInteger();
    private final EmbeddedChannel subscriber = new EmbeddedChannel(EdgeWsSubscriber.handlers(
            new PendingSends(PendingLimit.DEFAULT, InstantSource.fixed(NOW)),
            KEEP_ALIVE,
            feeds,
            cutOff::incrementAndGet,
            false));

    @Test
    void eachEventGoesOutAsOneUnmaskedTextFrameThatAClientDecodes() {
        WorkspaceId id = WorkspaceId.random();
        PublishedEvent event = new PublishedEvent(new WorkspaceEvent.Heartbeat(id, 0, 1), NOW);

        feeds.accept(event);
        subscriber.runPendingTasks();

        TextWebSocketFrame frame = clientReads(subscriber.readOutbound());
        assertThat(frame.text()).isEqualTo(EventRoutes.wsEnvelope(event));
        frame.release();
    }

    @Test
    void aSubscriberThatAcceptedDeflateGetsEachEventCompressedOnItsOwn() throws IOException {
        EmbeddedChannel deflating = new EmbeddedChannel(EdgeWsSubscriber.handlers(
                new PendingSends(PendingLimit.DEFAULT, InstantSource.fixed(NOW)),
                KEEP_ALIVE,
                feeds,
                cutOff::incrementAndGet,
                true));
        List<PublishedEvent> events = List.of(
                new PublishedEvent(new WorkspaceEvent.Heartbeat(WorkspaceId.random(), 0, 1), NOW),
                new PublishedEvent(new WorkspaceEvent.Heartbeat(WorkspaceId.random(), 2, 3), NOW));

        events.forEach(feeds);
        deflating.runPendingTasks();

        for (PublishedEvent event : events) {
            ByteBuf wire = deflating.readOutbound();
            RawHttp.Frame frame = RawHttp.Frame.read(new ByteBufInputStream(wire, true));
            assertThat(frame.first()).as("FIN, RSV1, text").isEqualTo(0xc1);
            assertThat(frame.text()).isEqualTo(EventRoutes.wsEnvelope(event));
        }
        deflating.finishAndReleaseAll();
    }

    @Test
    void aMessageThatCompressingWouldNotShrinkGoesAsItIsToADeflatingSubscriber() {
        WsFeed.Frame frame = WsFeed.Frame.text("{}");

        ByteBuf wire = frame.wire(true);

        assertThat(ByteBufUtil.hexDump(wire))
                .isEqualTo("8102" + ByteBufUtil.hexDump("{}".getBytes(StandardCharsets.UTF_8)));
        wire.release();
    }

    @Test
    void framesOfEveryLengthCarryTheirLengthAsTheRfcSpellsIt() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
            String text = "x".repeat(length);
            ByteBuf wire = WsFeed.Frame.text(text).wire();

            TextWebSocketFrame decoded = clientReads(wire);

            assertThat(decoded.text()).as("a frame of %d bytes", length).isEqualTo(text);
            decoded.release();
        }
    }

    @Test
    void aQuietFeedIsPingedEveryKeepAliveAndNothingSoonerThanThat() {
        subscriber.advanceTimeBy(KEEP_ALIVE.toSeconds() - 1, TimeUnit.SECONDS);
        subscriber.runScheduledPendingTasks();
        subscriber.runPendingTasks();
        assertThat((Object) subscriber.readOutbound()).isNull();

        subscriber.advanceTimeBy(1, TimeUnit.SECONDS);
        subscriber.runScheduledPendingTasks();
        subscriber.runPendingTasks();

        ByteBuf ping = subscriber.readOutbound();
        assertThat(ByteBufUtil.hexDump(ping)).isEqualTo("8900");
        ping.release();
    }

    @Test
    void aPingIsAnsweredWithItsOwnBytes() {
        subscriber.writeInbound(clientFrame(0x9, "are you there"));

        ByteBuf pong = subscriber.readOutbound();
        assertThat(ByteBufUtil.hexDump(pong))
                .isEqualTo("8a0d" + ByteBufUtil.hexDump("are you there".getBytes(StandardCharsets.UTF_8)));
        pong.release();
    }

    @Test
    void aCloseIsEchoedTheConnectionClosesAndTheSubscriberLeavesTheStream() {
        subscriber.writeInbound(clientFrame(0x8, "\u0003\u00e8"));

        ByteBuf close = subscriber.readOutbound();
        assertThat(ByteBufUtil.hexDump(close)).isEqualTo("880203e8");
        close.release();
        assertThat(subscriber.isOpen()).isFalse();

        feeds.accept(new PublishedEvent(new WorkspaceEvent.Heartbeat(WorkspaceId.random(), 0, 1), NOW));
        subscriber.runPendingTasks();
        assertThat((Object) subscriber.readOutbound()).isNull();
        assertThat(cutOff).hasValue(0);
    }

    @Test
    void aSubscriberThatLeftTakesNoMoreEvents() {
        subscriber.close();

        feeds.accept(new PublishedEvent(new WorkspaceEvent.Heartbeat(WorkspaceId.random(), 0, 1), NOW));
        subscriber.runPendingTasks();

        assertThat((Object) subscriber.readOutbound()).isNull();
    }

    @Test
    void theHandshakeAcceptsTheKeyOfRfc6455sExample() {
        assertThat(WsRoute.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    /** What a client's decoder makes of the server's bytes. */
    private static TextWebSocketFrame clientReads(ByteBuf wire) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false)
                .maxFramePayloadLength(1 << 20)
                .build()));
        client.writeInbound(wire);
        TextWebSocketFrame frame = client.readInbound();
        client.finishAndReleaseAll();
        return frame;
    }

    /** A client's frame: final, masked with a zero key, so the payload reads as it is sent. */
    private static ByteBuf clientFrame(int opcode, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x80 | opcode);
        frame.writeByte(0x80 | bytes.length);
        frame.writeInt(0);
        frame.writeBytes(bytes);
        return frame;
    }
}
