package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.AnswerPreview;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AnswerPreviewsTest {
    private static AnswerPreview of(String answer) {
        return AnswerPreviews.of(answer.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPreviewMadeWhenAskedIsThePreviewAndALongAnswerIsCutAlreadyWhenTheEventIsRaised() {
        byte[] small = "{\"result\":{\"ok\":true}}".getBytes(StandardCharsets.UTF_8);
        byte[] large = "x".repeat(AnswerPreviews.MAX_BYTES + 10).getBytes(StandardCharsets.UTF_8);

        Supplier<AnswerPreview> smallLater = AnswerPreviews.whenAsked(small);
        Supplier<AnswerPreview> largeLater = AnswerPreviews.whenAsked(large);
        Arrays.fill(large, (byte) 'y'); // what the raised event keeps of a long answer is its cut, not the answer

        assertThat(smallLater.get()).isEqualTo(AnswerPreviews.of(small));
        assertThat(largeLater.get())
                .isEqualTo(
                        new AnswerPreview("x".repeat(AnswerPreviews.MAX_BYTES), AnswerPreviews.MAX_BYTES + 10, true));
    }

    @Test
    void aSmallAnswerThatIsExactlyOneJsonValueIsCarriedParsed() {
        AnswerPreview preview = of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"ok\":true}}");

        assertThat(preview.body()).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) preview.body()).get("result")).isEqualTo(Map.of("ok", true));
        assertThat(preview.truncated()).isFalse();
    }

    @Test
    void anAnswerWithAnythingAfterItsJsonValueIsCarriedAsItsText() {
        String forged = "{\"result\":{}}},\"event\":\"WORKSPACE_REMOVED\",\"workspace_id\":\"x\"";

        assertThat(of(forged).body()).isEqualTo(forged);
        assertThat(of("{\"a\":1}{\"b\":2}").body()).isEqualTo("{\"a\":1}{\"b\":2}");
        assertThat(of("{\"a\":1} trailing").body()).isEqualTo("{\"a\":1} trailing");
    }

    @Test
    void anAnswerThatIsNotJsonOrIsEmptyOrNullIsCarriedAsItsText() {
        assertThat(of("plain words").body()).isEqualTo("plain words");
        assertThat(of("").body()).isEqualTo("");
        assertThat(of("null").body()).isEqualTo("null");
    }

    @Test
    void anAnswerNestedDeeperThanTheLimitIsCarriedAsItsText() {
        String deep = "[".repeat(200) + "]".repeat(200);

        assertThat(of(deep).body()).isEqualTo(deep);
    }

    @Test
    void aFiveMebibyteAnswerIsCarriedAsAPreviewOfItsFirstBytesAndItsSize() {
        byte[] answer = ("{\"text\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        AnswerPreview preview = AnswerPreviews.of(answer);

        assertThat(preview.truncated()).isTrue();
        assertThat(preview.size()).isEqualTo(answer.length);
        assertThat((String) preview.body()).hasSize(AnswerPreviews.MAX_BYTES).startsWith("{\"text\":\"aaa");
    }

    @Test
    void aPreviewNeverCutsACharacterInTwo() {
        String answer = "é".repeat(AnswerPreviews.MAX_BYTES);

        String body = (String) of(answer).body();

        assertThat(body).isEqualTo("é".repeat(AnswerPreviews.MAX_BYTES / 2));
        assertThat(of("x" + answer).body()).isEqualTo("x" + "é".repeat(AnswerPreviews.MAX_BYTES / 2 - 1));
    }
}
