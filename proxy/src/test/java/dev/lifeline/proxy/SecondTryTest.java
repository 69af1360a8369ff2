package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class SecondTryTest {
    @Test
    void aKeptConnectionEndedUnderTheFirstTryBeforeAByteOfAnswerSendsTheCallOnceMore() {
        assertThat(SecondTry.applies(new EOFException("closed"), true, false, true))
                .isTrue();
        assertThat(SecondTry.applies(new SocketException("Connection reset"), true, false, true))
                .isTrue();
    }

    @Test
    void aNewConnectionAnAnswerBegunASecondTryOrATimeoutOfLifelinesOwnIsJudgedAsItIs() {
        assertThat(SecondTry.applies(new ConnectException("refused"), false, false, true))
                .as("a connection that never answered")
                .isFalse();
        assertThat(SecondTry.applies(new EOFException("cut"), true, true, true))
                .as("the answer had begun")
                .isFalse();
        assertThat(SecondTry.applies(new EOFException("closed"), true, false, false))
                .as("already the second try")
                .isFalse();
        assertThat(SecondTry.applies(new HttpTimeoutException("no headers"), true, false, true))
                .as("Lifeline's own timeout")
                .isFalse();
        assertThat(SecondTry.applies(new IllegalStateException("not I/O"), true, false, true))
                .isFalse();
    }
}
