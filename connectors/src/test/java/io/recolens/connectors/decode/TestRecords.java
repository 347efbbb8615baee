package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures of the decoder tests: settings with a pinned clock, raw records, output capture. */
final class TestRecords {
    static final String SECRET = "test-secret-not-for-production";
    /** "Now" for all decoder tests, so future-skew checks are deterministic. */
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private TestRecords() {}

    static DecoderSettings settings() {
        return DecoderSettings.builder(SECRET).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    static RawRecord raw(String json) {
        return raw(json.getBytes(StandardCharsets.UTF_8));
    }

    static RawRecord raw(byte[] bytes) {
        return new RawRecord("topic-a", 3, 42L, null, bytes, 1_700_000_000_000L);
    }

    /** Runs one decode and keeps both outputs; fails the test if decode throws. */
    static <T> Result<T> run(RecordDecoder<T> decoder, RawRecord record) {
        Result<T> r = new Result<>();
        decoder.decode(record, r.records::add, r.deadLetters::add);
        return r;
    }

    static final class Result<T> {
        final List<T> records = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        T single() {
            if (records.size() != 1 || !deadLetters.isEmpty()) {
                throw new AssertionError("expected one record and no dead letter, got " + records + " / " + deadLetters);
            }
            return records.get(0);
        }

        DeadLetter singleDeadLetter() {
            if (deadLetters.size() != 1 || !records.isEmpty()) {
                throw new AssertionError("expected one dead letter and no record, got " + records + " / " + deadLetters);
            }
            return deadLetters.get(0);
        }
    }
}
