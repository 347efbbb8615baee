package io.recolens.connectors.decode;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Limits and secrets shared by all decoders: the unit-key HMAC secret, the baggage allow-list and
 * size limits, timestamp sanity bounds and the largest record accepted.
 */
public final class DecoderSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Earliest event time accepted: 2000-01-01T00:00:00Z. Anything earlier is a clock or unit bug. */
    public static final long DEFAULT_MIN_TIMESTAMP_MS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    /** W3C Baggage: a baggage-string of at most 8192 bytes. */
    public static final int DEFAULT_BAGGAGE_MAX_BYTES = 8192;
    /** W3C Baggage: a receiver reads at least 64 list-members; recolens reads exactly that many, the rest is ignored. */
    public static final int DEFAULT_BAGGAGE_MAX_MEMBERS = 64;
    /** W3C Baggage (2022 draft): a single list-member of at most 4096 bytes. */
    public static final int DEFAULT_BAGGAGE_MAX_MEMBER_BYTES = 4096;
    /** Our own bound on one decoded value: experiment variants and cohorts are short labels. */
    public static final int DEFAULT_BAGGAGE_MAX_VALUE_CHARS = 256;
    /** Entries ending in {@code *} are prefixes, the others exact keys. */
    public static final List<String> DEFAULT_BAGGAGE_ALLOW_LIST = List.of("experiment.*", "user.cohort");

    /** Where the secret is read at open(); the secret itself never travels with the decoders. */
    private final UnitKeySecret unitKeySecret;
    private final List<String> baggageAllowList;
    private final int baggageMaxBytes;
    private final int baggageMaxMembers;
    private final int baggageMaxMemberBytes;
    private final int baggageMaxValueChars;
    private final long minTimestampMs;
    private final Duration maxFutureSkew;
    private final int maxRecordBytes;
    private final RecordLimits recordLimits;
    private final Clock clock;

    private DecoderSettings(Builder b) {
        if (b.unitKeySecret == null) {
            throw new IllegalArgumentException("unitKeySecret is required and must not be empty");
        }
        if (b.baggageMaxBytes <= 0 || b.baggageMaxMembers <= 0 || b.baggageMaxMemberBytes <= 0
                || b.baggageMaxValueChars <= 0 || b.maxRecordBytes <= 0) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        if (b.maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative");
        }
        this.unitKeySecret = b.unitKeySecret;
        this.baggageAllowList = List.copyOf(b.baggageAllowList);
        this.baggageMaxBytes = b.baggageMaxBytes;
        this.baggageMaxMembers = b.baggageMaxMembers;
        this.baggageMaxMemberBytes = b.baggageMaxMemberBytes;
        this.baggageMaxValueChars = b.baggageMaxValueChars;
        this.minTimestampMs = b.minTimestampMs;
        this.maxFutureSkew = b.maxFutureSkew;
        this.maxRecordBytes = b.maxRecordBytes;
        this.recordLimits = b.recordLimits;
        this.clock = b.clock;
    }

    public static Builder builder(String unitKeySecret) {
        return new Builder().unitKeySecret(unitKeySecret);
    }

    public static Builder builder(UnitKeySecret unitKeySecret) {
        return new Builder().unitKeySecret(unitKeySecret);
    }

    /** Reads the secret where this process finds it (call from open(), on the TaskManager). */
    public String unitKeySecret() {
        return unitKeySecret.resolve();
    }

    public List<String> baggageAllowList() {
        return baggageAllowList;
    }

    /** True when a baggage key matches an exact allow-list entry or a {@code prefix*} entry. */
    public boolean isBaggageKeyAllowed(String key) {
        for (String allowed : baggageAllowList) {
            if (allowed.endsWith("*")) {
                String prefix = allowed.substring(0, allowed.length() - 1);
                // A bare prefix ("experiment.") names no experiment, so it is not allowed itself.
                if (key.length() > prefix.length() && key.startsWith(prefix)) return true;
            } else if (allowed.equals(key)) {
                return true;
            }
        }
        return false;
    }

    public int baggageMaxBytes() {
        return baggageMaxBytes;
    }

    public int baggageMaxMembers() {
        return baggageMaxMembers;
    }

    public int baggageMaxMemberBytes() {
        return baggageMaxMemberBytes;
    }

    public int baggageMaxValueChars() {
        return baggageMaxValueChars;
    }

    public long minTimestampMs() {
        return minTimestampMs;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    /** Latest event time accepted right now: the clock plus the allowed future skew. */
    public long maxTimestampMs() {
        return clock.millis() + maxFutureSkew.toMillis();
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public RecordLimits recordLimits() {
        return recordLimits;
    }

    /** Null when the timestamp is plausible, else the reason it is not. */
    String checkTimestamp(String field, long epochMs) {
        if (epochMs < minTimestampMs) {
            return field + " " + epochMs + " ms is before " + Instant.ofEpochMilli(minTimestampMs);
        }
        long max = maxTimestampMs();
        if (epochMs > max) {
            return field + " " + epochMs + " ms is more than " + maxFutureSkew + " in the future";
        }
        return null;
    }

    /** Builds {@link DecoderSettings}; every limit has the documented default. */
    public static final class Builder {
        private UnitKeySecret unitKeySecret;
        private List<String> baggageAllowList = new ArrayList<>(DEFAULT_BAGGAGE_ALLOW_LIST);
        private int baggageMaxBytes = DEFAULT_BAGGAGE_MAX_BYTES;
        private int baggageMaxMembers = DEFAULT_BAGGAGE_MAX_MEMBERS;
        private int baggageMaxMemberBytes = DEFAULT_BAGGAGE_MAX_MEMBER_BYTES;
        private int baggageMaxValueChars = DEFAULT_BAGGAGE_MAX_VALUE_CHARS;
        private long minTimestampMs = DEFAULT_MIN_TIMESTAMP_MS;
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private RecordLimits recordLimits = RecordLimits.DEFAULTS;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** A secret known to this JVM only (tests, the demo): it is not serialized, tasks here look it up. */
        public Builder unitKeySecret(String secret) {
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("unitKeySecret is required and must not be empty");
            }
            this.unitKeySecret = UnitKeySecret.inThisJvm(secret);
            return this;
        }

        public Builder unitKeySecret(UnitKeySecret secret) {
            this.unitKeySecret = secret;
            return this;
        }

        /** Replaces the allow-list; entries ending in {@code *} are key prefixes. */
        public Builder baggageAllowList(List<String> allowList) {
            this.baggageAllowList = new ArrayList<>(Objects.requireNonNull(allowList));
            return this;
        }

        public Builder baggageMaxBytes(int bytes) {
            this.baggageMaxBytes = bytes;
            return this;
        }

        public Builder baggageMaxMembers(int members) {
            this.baggageMaxMembers = members;
            return this;
        }

        public Builder baggageMaxMemberBytes(int bytes) {
            this.baggageMaxMemberBytes = bytes;
            return this;
        }

        public Builder baggageMaxValueChars(int chars) {
            this.baggageMaxValueChars = chars;
            return this;
        }

        public Builder minTimestampMs(long epochMs) {
            this.minTimestampMs = epochMs;
            return this;
        }

        public Builder maxFutureSkew(Duration skew) {
            this.maxFutureSkew = Objects.requireNonNull(skew);
            return this;
        }

        public Builder maxRecordBytes(int bytes) {
            this.maxRecordBytes = bytes;
            return this;
        }

        public Builder recordLimits(RecordLimits limits) {
            this.recordLimits = Objects.requireNonNull(limits);
            return this;
        }

        /** For tests that pin "now"; must be serializable (the JDK's system and fixed clocks are). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public DecoderSettings build() {
            return new DecoderSettings(this);
        }
    }
}
