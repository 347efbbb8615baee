package io.recolens.connectors.decode;

import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.io.Serializable;
import java.util.function.Consumer;

/** Turns one undecoded input record into typed records, sending every rejection to a dead-letter consumer. */
public interface RecordDecoder<T> extends Serializable {

    /** Prepares per-instance resources (parsers, Mac); called once per task before decode. */
    default void open() {}

    /** Decodes one raw record: emits zero or more records to out and each rejection to deadLetters. Never throws. */
    void decode(RawRecord record, Consumer<T> out, Consumer<DeadLetter> deadLetters);

    /**
     * The dead letter of a record this decoder could not handle, with user IDs scrubbed from its raw bytes and
     * error (docs/privacy.md). A decoder that cannot scrub its format keeps no raw bytes at all.
     */
    default DeadLetter deadLetter(RawRecord record, String kind, String error) {
        return DeadLetter.of(record, kind, error + " [raw bytes dropped: this decoder cannot scrub user IDs from them]", null);
    }
}
