package dev.lifeline.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigArchiveTest {

    @Test
    void eachFileIsAUstarEntryWithItsModeSizeAndContentInWholeBlocks() {
        byte[] tar = ConfigArchive.of(Map.of(".auth_token", new ConfigArchive.Entry("s3cret", 0600)));

        assertThat(tar).hasSize(512 + 512 + 1024);
        assertThat(text(tar, 0, 11)).isEqualTo(".auth_token");
        assertThat(text(tar, 100, 7)).isEqualTo("0000600");
        assertThat(text(tar, 124, 11)).isEqualTo("00000000006");
        assertThat(text(tar, 257, 5)).isEqualTo("ustar");
        assertThat(text(tar, 512, 6)).isEqualTo("s3cret");
        assertThat(checksumMatches(tar)).isTrue();
    }

    @Test
    void onlyFlatNamesAreAccepted() {
        assertThatThrownBy(() -> ConfigArchive.of(Map.of("../etc/passwd", new ConfigArchive.Entry("x", 0644))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(byte[] tar, int offset, int length) {
        return new String(tar, offset, length, StandardCharsets.US_ASCII);
    }

    private static boolean checksumMatches(byte[] tar) {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : tar[i] & 0xff;
        }
        return Long.parseLong(text(tar, 148, 6), 8) == sum;
    }
}
