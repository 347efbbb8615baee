package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.util.Arrays;

/** Builds dead letters whose raw bytes and error text went through the {@link UserIdScrubber} first. */
final class ScrubbedDeadLetters {
    /**
     * Records up to this size are scanned whole, so an ID that only the error text mentions (beyond the kept prefix)
     * is still known; larger ones only as far as the bytes kept.
     */
    private static final int SCAN_WHOLE_BYTES = 1 << 20;

    private ScrubbedDeadLetters() {}

    static DeadLetter json(UserIdScrubber scrubber, RawRecord record, String kind, String error) {
        UserIdScrubber.Result r = scrubber.json(scanned(record));
        return DeadLetter.of(record, kind, r.scrub(error, scrubber.unitKeys()), r.bytes());
    }

    static DeadLetter proto(UserIdScrubber scrubber, RawRecord record, String kind, String error) {
        UserIdScrubber.Result r = scrubber.proto(scanned(record));
        String scrubbedError = r.scrub(error, scrubber.unitKeys());
        if (r.bytes() == null) {
            scrubbedError += " [raw bytes dropped: a user-ID attribute could not be masked in place]";
        }
        return DeadLetter.of(record, kind, scrubbedError, r.bytes());
    }

    private static byte[] scanned(RawRecord record) {
        byte[] value = record.value == null ? new byte[0] : record.value;
        return value.length <= SCAN_WHOLE_BYTES ? value : Arrays.copyOf(value, DeadLetter.MAX_RAW_BYTES);
    }
}
