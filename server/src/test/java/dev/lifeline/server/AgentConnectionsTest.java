package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lane's kept connections to one agent: a call takes the one idle longest, and those that no
 * call needed for a whole idle window are closed while the others keep serving.
 */
class AgentConnectionsTest {
    private static final Duration IDLE_WINDOW = Duration.ofMillis(500);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final AgentConnections connections = new AgentConnections(Duration.ofSeconds(2), IDLE_WINDOW);
    private final NettyAgent agent = NettyAgent.start();
    private final InetSocketAddress address =
            new InetSocketAddress("127.0.0.1", URI.create(agent.url()).getPort());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        agent.close();
    }

    @Test
    void aCallTakesTheConnectionIdleLongestSoEachRestsAsLongAsTheTrafficAllows() {
        List<Channel> opened = acquire(3);
        onLoop(() -> opened.forEach(c -> connections.release(c, address)));

        List<Channel> taken = new ArrayList<>();
        for (int call = 0; call < 6; call++) {
            Channel channel = acquire(1).getFirst();
            taken.add(channel);
            onLoop(() -> connections.release(channel, address));
        }

        assertThat(taken)
                .containsExactly(
                        opened.get(0), opened.get(1), opened.get(2), opened.get(0), opened.get(1), opened.get(2));
        assertThat(agent.connections()).isEqualTo(3);
    }

    @Test
    void connectionsNoCallNeededForAWholeIdleWindowAreClosedWhileTheOthersKeepServing() {
        List<Channel> burst = acquire(3);
        onLoop(() -> burst.forEach(c -> connections.release(c, address)));

        // one call at a time from now on, every 50 ms: one connection is all that is needed
        ScheduledFuture<?> calls = loop.scheduleAtFixedRate(
                () -> connections.acquire(loop, address, new Ignored(), c -> connections.release(c, address), e -> {}),
                0,
                50,
                TimeUnit.MILLISECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.openConnections() == 1);
        calls.cancel(false);
        assertThat(agent.connections()).as("none opened again").isEqualTo(3);
    }

    /** {@code n} connections taken at once, so each is a new one unless some were idle. */
    private List<Channel> acquire(int n) {
        List<CompletableFuture<Channel>> ready = new ArrayList<>();
        onLoop(() -> {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Channel> one = new CompletableFuture<>();
                ready.add(one);
                connections.acquire(loop, address, new Ignored(), one::complete, one::completeExceptionally);
            }
        });
        return ready.stream().map(CompletableFuture::join).toList();
    }

    private void onLoop(Runnable work) {
        loop.submit(work).syncUninterruptibly();
    }

    /** An exchange that expects nothing: these connections carry no calls. */
    private static final class Ignored implements AgentConnections.Exchange {
        @Override
        public void read(Object message) {}

        @Override
        public void closed() {}

        @Override
        public void failed(Throwable cause) {}
    }
}
