package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which {@code permessage-deflate} offers the edge's {@code /ws} accepts (RFC 7692 7.1): any it can
 * honour with a full window and a fresh context per message, and none that asks for more.
 */
class PerMessageDeflateTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "permessage-deflate",
                "permessage-deflate; client_max_window_bits", // what browsers send
                "permessage-deflate; client_max_window_bits=10",
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                "permessage-deflate; server_max_window_bits=15",
                "permessage-deflate; server_max_window_bits=\"15\"",
                "x-webkit-deflate-frame, permessage-deflate",
                "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
            })
    void anOfferTheEdgeCanHonourIsAccepted(String header) {
        assertThat(PerMessageDeflate.offered(List.of(header))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "x-webkit-deflate-frame",
                "permessage-deflate; server_max_window_bits=10", // the JDK's deflater keeps a 32 KiB window
                "permessage-deflate; server_max_window_bits",
                "permessage-deflate; client_max_window_bits=16",
                "permessage-deflate; server_no_context_takeover=1",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; mux",
            })
    void anOfferItCannotHonourIsDeclined(String header) {
        assertThat(PerMessageDeflate.offered(List.of(header))).isFalse();
    }

    @Test
    void noOfferNoCompression() {
        assertThat(PerMessageDeflate.offered(List.of())).isFalse();
    }
}
