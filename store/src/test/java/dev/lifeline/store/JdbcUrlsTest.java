package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

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
    void otherUrlsAreLeftAlone() {
        assertThat(JdbcUrls.effective("jdbc:postgresql://db:5432/lifeline"))
                .isEqualTo("jdbc:postgresql://db:5432/lifeline");
    }
}
