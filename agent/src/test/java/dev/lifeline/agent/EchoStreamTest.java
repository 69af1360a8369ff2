package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoStreamTest {

    @Test
    void splitsTextIntoNearlyEqualPiecesThatJoinBack() {
        assertThat(EchoStream.split("echo: hello", 3)).containsExactly("ech", "o: h", "ello");
        assertThat(String.join("", EchoStream.split("echo: 😀😀", 4))).isEqualTo("echo: 😀😀");
    }

    @Test
    void shortTextLeavesSomePiecesEmpty() {
        assertThat(EchoStream.split("ab", 4)).containsExactly("", "a", "", "b");
    }
}
