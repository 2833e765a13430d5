package dev.reactivepool.r2dbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;

/** Which errors count as r2dbc-postgresql's statement names colliding behind a proxy. */
final class StatementCacheHintTest {

    @Test
    void theDriversStatementNamesAlreadyExistingOrMissingAreCollisions() {
        assertThat(StatementCacheHint.isStatementNameCollision(new R2dbcBadGrammarException(
                "prepared statement \"S_0\" already exists", "42P05"))).isTrue();
        assertThat(StatementCacheHint.isStatementNameCollision(new R2dbcBadGrammarException(
                "prepared statement \"S_12\" does not exist", "26000"))).isTrue();
    }

    @Test
    void otherErrorsAreNot() {
        // A statement the user prepared with SQL PREPARE under a name of their own.
        assertThat(StatementCacheHint.isStatementNameCollision(new R2dbcBadGrammarException(
                "prepared statement \"mine\" already exists", "42P05"))).isFalse();
        assertThat(StatementCacheHint.isStatementNameCollision(new R2dbcBadGrammarException(
                "syntax error at or near \"S_0\"", "42601"))).isFalse();
        assertThat(StatementCacheHint.isStatementNameCollision(new R2dbcNonTransientResourceException(
                "prepared statement \"S_0\" already exists"))).isFalse();
        assertThat(StatementCacheHint.isStatementNameCollision(new IllegalStateException(
                "prepared statement \"S_0\" already exists"))).isFalse();
        assertThat(StatementCacheHint.isStatementNameCollision(null)).isFalse();
    }

    @Test
    void theAdviceNamesTheSettingAndTheDocs() {
        assertThat(StatementCacheHint.ADVICE).contains("preparedStatementCacheQueries=0")
                .contains("max_prepared_statements").contains("docs/scaling-out.md");
    }
}
