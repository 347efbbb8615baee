package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.recolens.model.DeadLetter;
import io.recolens.model.RawRecord;
import java.io.IOException;
import java.util.function.Consumer;

/** Shared frame of the JSON decoders: size checks, one streaming parser per record, errors to dead letters. */
abstract class JsonObjectDecoder<T> implements RecordDecoder<T> {
    private static final long serialVersionUID = 1L;

    protected final DecoderSettings settings;
    private final String kind;
    private transient JsonFactory jsonFactory;
    protected transient UnitKeys unitKeys;
    private transient UserIdScrubber scrubber;

    JsonObjectDecoder(DecoderSettings settings, String kind) {
        if (settings == null) throw new IllegalArgumentException("settings are required");
        this.settings = settings;
        this.kind = kind;
    }

    @Override
    public void open() {
        jsonFactory = settings.recordLimits().jsonFactory(settings.maxRecordBytes());
        unitKeys = new UnitKeys(settings.unitKeySecret());
        scrubber = new UserIdScrubber(unitKeys);
    }

    /** User-ID values in the bytes (broken or not) become unit keys before the record is kept (docs/privacy.md). */
    @Override
    public DeadLetter deadLetter(RawRecord record, String kind, String error) {
        if (scrubber == null) open();
        return ScrubbedDeadLetters.json(scrubber, record, kind, error);
    }

    @Override
    public final void decode(RawRecord record, Consumer<T> out, Consumer<DeadLetter> deadLetters) {
        if (jsonFactory == null) open(); // a caller that forgot open() still gets correct output
        byte[] value = record.value;
        if (value == null || value.length == 0) {
            deadLetters.accept(deadLetter(record, kind, "empty record"));
            return;
        }
        if (value.length > settings.maxRecordBytes()) {
            deadLetters.accept(deadLetter(record, kind, "record of " + value.length
                    + " bytes is over the limit of " + settings.maxRecordBytes()));
            return;
        }
        T decoded;
        try (JsonParser p = jsonFactory.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("expected a JSON object");
            }
            decoded = readObject(p);
            if (p.nextToken() != null) {
                throw new DecodeException("unexpected content after the JSON object");
            }
        } catch (DecodeException e) {
            deadLetters.accept(deadLetter(record, kind, e.getMessage()));
            return;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            deadLetters.accept(deadLetter(record, kind, "over a record limit (" + RecordLimits.KEY_JSON_DEPTH + " / "
                    + RecordLimits.KEY_NUMBER_CHARS + "): " + e.getOriginalMessage()));
            return;
        } catch (JsonProcessingException e) {
            deadLetters.accept(deadLetter(record, kind, "malformed JSON: " + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset()));
            return;
        } catch (IOException | RuntimeException e) {
            deadLetters.accept(deadLetter(record, kind, "unreadable record: " + e));
            return;
        }
        // Emitted outside the try: a failure downstream must not turn into a dead letter here.
        out.accept(decoded);
    }

    /** Reads the fields of the root object; the parser stands on its START_OBJECT and must end on END_OBJECT. */
    protected abstract T readObject(JsonParser p) throws IOException, DecodeException;

    protected long checkedTimestamp(JsonParser p, String field) throws IOException, DecodeException {
        long ts = JsonFields.timestamp(p, field);
        String problem = settings.checkTimestamp(field, ts);
        if (problem != null) throw new DecodeException(problem);
        return ts;
    }

    /** Refuses a string field over {@link RecordLimits#maxStringChars()} (a hard limit). */
    protected void checkLength(String field, String value) throws DecodeException {
        String problem = settings.recordLimits().checkLength(field, value);
        if (problem != null) throw new DecodeException(problem);
    }

    /** Refuses more experiments than {@link RecordLimits#maxExperiments()} and over-long names or variants. */
    protected void checkExperiments(java.util.Map<String, String> experiments) throws DecodeException {
        RecordLimits limits = settings.recordLimits();
        if (experiments.size() > limits.maxExperiments()) {
            throw new DecodeException("names " + experiments.size() + " experiments, over the limit of "
                    + limits.maxExperiments() + " (" + RecordLimits.KEY_EXPERIMENTS + ")");
        }
        for (java.util.Map.Entry<String, String> e : experiments.entrySet()) {
            checkLength("experiments key", e.getKey());
            checkLength("experiments." + JsonFields.abbreviate(e.getKey()), e.getValue());
        }
    }

    protected static DecodeException missing(String field) {
        return new DecodeException("required field '" + field + "' is missing");
    }
}
