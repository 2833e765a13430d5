package dev.reactivepool.spring.internal;

import java.time.Duration;

import io.r2dbc.spi.ValidationDepth;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's {@code spring.r2dbc.pool.*} properties as the user set them: every field is null
 * unless set, so that Boot's defaults for r2dbc-pool (for example {@code initial-size=10}) do not
 * override reactive-pool's. Bound with Boot's {@link Binder}, so the names, relaxed forms and
 * value formats are Boot's.
 */
public final class SpringR2dbcPoolSettings {

    /** The prefix of the properties. */
    public static final String PREFIX = "spring.r2dbc.pool";

    private Boolean enabled;
    private Integer initialSize;
    private Integer maxSize;
    private Integer minIdle;
    private Duration maxIdleTime;
    private Duration maxLifeTime;
    private Duration maxAcquireTime;
    private Duration maxCreateConnectionTime;
    private Duration maxValidationTime;
    private Integer acquireRetry;
    private String validationQuery;
    private ValidationDepth validationDepth;

    /**
     * @param environment the application's environment
     * @return the properties set under {@value #PREFIX}; all null if none is
     */
    public static SpringR2dbcPoolSettings bind(Environment environment) {
        return Binder.get(environment).bind(PREFIX, Bindable.of(SpringR2dbcPoolSettings.class))
                .orElseGet(SpringR2dbcPoolSettings::new);
    }

    /** @return whether pooling is enabled; null if not set */
    public Boolean getEnabled() {
        return enabled;
    }

    /** @param enabled whether pooling is enabled */
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    /** @return connections opened at startup; null if not set */
    public Integer getInitialSize() {
        return initialSize;
    }

    /** @param initialSize connections opened at startup */
    public void setInitialSize(Integer initialSize) {
        this.initialSize = initialSize;
    }

    /** @return the maximum pool size; null if not set */
    public Integer getMaxSize() {
        return maxSize;
    }

    /** @param maxSize the maximum pool size */
    public void setMaxSize(Integer maxSize) {
        this.maxSize = maxSize;
    }

    /** @return idle connections kept; null if not set */
    public Integer getMinIdle() {
        return minIdle;
    }

    /** @param minIdle idle connections kept */
    public void setMinIdle(Integer minIdle) {
        this.minIdle = minIdle;
    }

    /** @return the idle timeout; null if not set */
    public Duration getMaxIdleTime() {
        return maxIdleTime;
    }

    /** @param maxIdleTime the idle timeout */
    public void setMaxIdleTime(Duration maxIdleTime) {
        this.maxIdleTime = maxIdleTime;
    }

    /** @return the maximum lifetime; null if not set */
    public Duration getMaxLifeTime() {
        return maxLifeTime;
    }

    /** @param maxLifeTime the maximum lifetime */
    public void setMaxLifeTime(Duration maxLifeTime) {
        this.maxLifeTime = maxLifeTime;
    }

    /** @return the acquire timeout; null if not set */
    public Duration getMaxAcquireTime() {
        return maxAcquireTime;
    }

    /** @param maxAcquireTime the acquire timeout */
    public void setMaxAcquireTime(Duration maxAcquireTime) {
        this.maxAcquireTime = maxAcquireTime;
    }

    /** @return the connection creation timeout; null if not set */
    public Duration getMaxCreateConnectionTime() {
        return maxCreateConnectionTime;
    }

    /** @param maxCreateConnectionTime the connection creation timeout */
    public void setMaxCreateConnectionTime(Duration maxCreateConnectionTime) {
        this.maxCreateConnectionTime = maxCreateConnectionTime;
    }

    /** @return the validation timeout; null if not set */
    public Duration getMaxValidationTime() {
        return maxValidationTime;
    }

    /** @param maxValidationTime the validation timeout */
    public void setMaxValidationTime(Duration maxValidationTime) {
        this.maxValidationTime = maxValidationTime;
    }

    /** @return r2dbc-pool's acquire retries; null if not set */
    public Integer getAcquireRetry() {
        return acquireRetry;
    }

    /** @param acquireRetry r2dbc-pool's acquire retries */
    public void setAcquireRetry(Integer acquireRetry) {
        this.acquireRetry = acquireRetry;
    }

    /** @return the validation query; null if not set */
    public String getValidationQuery() {
        return validationQuery;
    }

    /** @param validationQuery the validation query */
    public void setValidationQuery(String validationQuery) {
        this.validationQuery = validationQuery;
    }

    /** @return the validation depth; null if not set */
    public ValidationDepth getValidationDepth() {
        return validationDepth;
    }

    /** @param validationDepth the validation depth */
    public void setValidationDepth(ValidationDepth validationDepth) {
        this.validationDepth = validationDepth;
    }
}
