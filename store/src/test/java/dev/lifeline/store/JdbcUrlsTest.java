package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

    @Test
    void anH2UrlIsRunInPostgresModeWithLowerCaseNamesAndClosedByTheServerNotByH2sShutdownHook() {
        assertThat(JdbcUrls.effective("jdbc:h2:file:/var/lib/lifeline/lifeline;AUTO_SERVER=FALSE"))
                .isEqualTo("jdbc:h2:file:/var/lib/lifeline/lifeline;AUTO_SERVER=FALSE"
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void settingsTheUrlChoosesItselfAreKeptAndNotRepeated() {
        assertThat(JdbcUrls.effective("jdbc:h2:file:/d/x;mode=PostgreSQL;database_to_lower=true"))
                .isEqualTo("jdbc:h2:file:/d/x;mode=PostgreSQL;database_to_lower=true;DEFAULT_NULL_ORDERING=HIGH"
                        + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void anInMemoryH2DatabaseOutlivesItsIdleConnections() {
        assertThat(JdbcUrls.effective("jdbc:h2:mem:t")).endsWith(";DB_CLOSE_DELAY=-1");
        assertThat(JdbcUrls.effective("jdbc:h2:mem:t;DB_CLOSE_DELAY=0")).doesNotContain("DB_CLOSE_DELAY=-1");
    }

    @Test
    void anEmbeddedH2DatabaseLivesInMemoryOrInLocalFilesThatStartWithItsPath() {
        assertThat(JdbcUrls.h2File("jdbc:h2:file:/var/lib/lifeline/lifeline;AUTO_SERVER=FALSE"))
                .isEqualTo(Path.of("/var/lib/lifeline/lifeline"));
        assertThat(JdbcUrls.h2File("jdbc:h2:./data/lifeline")).isEqualTo(Path.of("./data/lifeline"));
        assertThat(JdbcUrls.h2File("jdbc:h2:~/lifeline"))
                .isEqualTo(Path.of(System.getProperty("user.home"), "lifeline"));
        assertThat(JdbcUrls.isH2Embedded("jdbc:h2:C:/data/lifeline")).isTrue();
        assertThat(JdbcUrls.isH2Embedded("jdbc:h2:mem:t")).isTrue();
        assertThat(JdbcUrls.h2File("jdbc:h2:mem:t")).isNull();
    }

    @Test
    void anH2DatabaseBehindAServerOrInAnotherFileSystemIsNotEmbedded() {
        assertThat(JdbcUrls.isH2Embedded("jdbc:h2:tcp://db:9092/lifeline")).isFalse();
        assertThat(JdbcUrls.isH2Embedded("jdbc:h2:ssl://db/lifeline")).isFalse();
        assertThat(JdbcUrls.isH2Embedded("jdbc:h2:zip:/backups/x.zip!/lifeline"))
                .isFalse();
        assertThat(JdbcUrls.h2File("jdbc:h2:tcp://db:9092/lifeline")).isNull();
        assertThat(JdbcUrls.isH2Embedded("jdbc:postgresql://db/lifeline")).isFalse();
    }

    @Test
    void otherUrlsAreLeftAlone() {
        assertThat(JdbcUrls.effective("jdbc:postgresql://db:5432/lifeline"))
                .isEqualTo("jdbc:postgresql://db:5432/lifeline");
    }
}
