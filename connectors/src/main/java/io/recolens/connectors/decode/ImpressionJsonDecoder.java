package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.recolens.model.FeatureRef;
import io.recolens.model.Impression;
import io.recolens.model.SlateItem;
import java.io.IOException;
import java.util.Map;

/**
 * Decodes one impression JSON object (see DESIGN.md) into an {@link Impression} with the
 * jackson-core streaming parser, no tree per record.
 *
 * <p>Required: {@code impression_id}, {@code trace_id} (normalized to lowercase 32-hex),
 * {@code timestamp} (ISO-8601 or epoch millis, within the sanity bounds), {@code user_id} and
 * {@code experiments} (an object, possibly empty). Unknown fields are skipped; JSON {@code null}
 * counts as absent. The user ID is never stored: it becomes {@link Impression#unitKey} through
 * {@link UnitKeys}. Of the optional {@code baggage} header only allow-listed keys are read:
 * {@code experiment.<name>} entries go to {@link Impression#baggageExperiments} and
 * {@code user.cohort} sets {@link Impression#segment} (else the {@code segment} or {@code cohort}
 * field, else {@code "none"}).
 *
 * <p>Record limits ({@link RecordLimits}): more experiments than allowed, or an over-long ID or label, make the
 * impression a dead letter naming the limit (hard limits); slate items, features and baggage past their limits
 * are dropped and the impression carries what was dropped in {@code trimmed}, which becomes a
 * {@code record_trimmed} anomaly (soft limits). Baggage is read as W3C asks of a receiver: the first 8,192
 * bytes and 64 list-members, the rest ignored and reported.
 */
public class ImpressionJsonDecoder extends JsonObjectDecoder<Impression> {
    private static final long serialVersionUID = 1L;
    static final String KIND = "impression";
    private static final String EXPERIMENT_PREFIX = "experiment.";
    private static final String COHORT_KEY = "user.cohort";

    private final BaggageParser baggageParser;

    public ImpressionJsonDecoder(DecoderSettings settings) {
        super(settings, KIND);
        this.baggageParser = new BaggageParser(settings);
    }

    @Override
    protected Impression readObject(JsonParser p) throws IOException, DecodeException {
        Impression imp = new Impression();
        String userId = null;
        String baggage = null;
        String segmentField = null;
        boolean hasTimestamp = false;
        boolean hasExperiments = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) continue;
            switch (field) {
                case "impression_id": imp.impressionId = JsonFields.scalarText(p, field); break;
                case "trace_id": imp.traceId = JsonFields.traceId(JsonFields.string(p, field)); break;
                case "lineage_id": imp.lineageId = JsonFields.scalarText(p, field); break;
                case "user_id": userId = JsonFields.scalarText(p, field); break;
                case "session_id": imp.sessionId = JsonFields.scalarText(p, field); break;
                case "surface": imp.surface = JsonFields.string(p, field); break;
                case "segment":
                    segmentField = JsonFields.string(p, field);
                    break;
                case "cohort":
                    // "segment" is the documented name; "cohort" only fills in when it is absent.
                    if (segmentField == null) segmentField = JsonFields.string(p, field);
                    break;
                case "timestamp":
                    imp.servedAt = checkedTimestamp(p, field);
                    hasTimestamp = true;
                    break;
                case "experiments":
                    JsonFields.stringMap(p, field, imp.experiments);
                    hasExperiments = true;
                    break;
                case "model": readModel(p, imp); break;
                case "features": readFeatures(p, imp, settings.recordLimits().maxFeatures()); break;
                case "items": readItems(p, imp, settings.recordLimits().maxSlateItems()); break;
                case "baggage": baggage = JsonFields.string(p, field); break;
                default: p.skipChildren();
            }
        }
        if (imp.impressionId == null || imp.impressionId.isEmpty()) throw missing("impression_id");
        if (imp.traceId == null) throw missing("trace_id");
        if (!hasTimestamp) throw missing("timestamp");
        if (userId == null || userId.isEmpty()) throw missing("user_id");
        if (!hasExperiments) throw missing("experiments");
        checkLength("impression_id", imp.impressionId);
        checkLength("user_id", userId);
        checkLength("lineage_id", imp.lineageId);
        checkLength("session_id", imp.sessionId);
        checkLength("surface", imp.surface);
        checkLength("segment", segmentField);
        checkLength("model.name", imp.modelName);
        checkLength("model.version", imp.modelVersion);
        for (FeatureRef f : imp.features) {
            checkLength("features key", f.name);
            checkLength("features.version", f.version);
            checkLength("features.hash", f.hash);
        }
        for (SlateItem item : imp.items) checkLength("items.item_id", item.itemId);
        checkExperiments(imp.experiments);
        imp.unitKey = unitKeys.unitKey(userId);
        if (imp.surface == null || imp.surface.isEmpty()) imp.surface = "unknown";
        String cohort = null;
        if (baggage != null) {
            BaggageParser.Parsed parsed = baggageParser.parse(baggage);
            if (parsed.ignored() != null) imp.addTrim(parsed.ignored());
            for (Map.Entry<String, String> e : parsed.allowed().entrySet()) {
                String key = e.getKey();
                if (key.startsWith(EXPERIMENT_PREFIX) && key.length() > EXPERIMENT_PREFIX.length()) {
                    if (imp.baggageExperiments.size() >= settings.recordLimits().maxExperiments()) {
                        imp.addTrim("baggage: experiments past " + settings.recordLimits().maxExperiments() + " ignored ("
                                + RecordLimits.KEY_EXPERIMENTS + ")");
                        break;
                    }
                    imp.baggageExperiments.put(key.substring(EXPERIMENT_PREFIX.length()), e.getValue());
                } else if (key.equals(COHORT_KEY)) {
                    cohort = e.getValue();
                }
            }
        }
        if (cohort != null && !cohort.isEmpty()) imp.segment = cohort;
        else if (segmentField != null && !segmentField.isEmpty()) imp.segment = segmentField;
        else imp.segment = "none";
        return imp;
    }

    private static void readModel(JsonParser p, Impression imp) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new DecodeException("field 'model' must be an object, got " + p.currentToken());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NULL) continue;
            switch (field) {
                case "name": imp.modelName = JsonFields.scalarText(p, "model.name"); break;
                case "version": imp.modelVersion = JsonFields.scalarText(p, "model.version"); break;
                default: p.skipChildren();
            }
        }
    }

    private static void readFeatures(JsonParser p, Impression imp, int maxFeatures) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new DecodeException("field 'features' must be an object, got " + p.currentToken());
        }
        int dropped = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) continue;
            if (t != JsonToken.START_OBJECT) {
                throw new DecodeException("feature '" + JsonFields.abbreviate(name) + "' must be an object, got " + t);
            }
            if (imp.features.size() >= maxFeatures) {
                p.skipChildren();
                dropped++;
                continue;
            }
            FeatureRef ref = new FeatureRef();
            ref.name = name;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) continue;
                switch (field) {
                    case "version": ref.version = JsonFields.scalarText(p, "features." + name + ".version"); break;
                    case "hash": ref.hash = JsonFields.scalarText(p, "features." + name + ".hash"); break;
                    default: p.skipChildren();
                }
            }
            imp.features.add(ref);
        }
        if (dropped > 0) {
            imp.addTrim("features: " + dropped + " past " + maxFeatures + " dropped (" + RecordLimits.KEY_FEATURES + ")");
        }
    }

    private static void readItems(JsonParser p, Impression imp, int maxItems) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new DecodeException("field 'items' must be an array, got " + p.currentToken());
        }
        int index = 0;
        int dropped = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("items[" + index + "] must be an object, got " + p.currentToken());
            }
            if (imp.items.size() >= maxItems) {
                // Past the limit the slate is only counted: the items are skipped without being read. (The check is on
                // the items kept, not the index: a record may repeat the "items" field.)
                p.skipChildren();
                index++;
                dropped++;
                continue;
            }
            SlateItem item = new SlateItem();
            item.position = index; // a slate lists items in order; an explicit position overrides
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_NULL) continue;
                switch (field) {
                    case "item_id": item.itemId = JsonFields.scalarText(p, "items[" + index + "].item_id"); break;
                    case "position": item.position = JsonFields.integer(p, "items[" + index + "].position"); break;
                    case "score": item.score = JsonFields.number(p, "items[" + index + "].score"); break;
                    default: p.skipChildren();
                }
            }
            if (item.itemId == null || item.itemId.isEmpty()) throw missing("items[" + index + "].item_id");
            imp.items.add(item);
            index++;
        }
        if (dropped > 0) {
            imp.addTrim("items: " + dropped + " past " + maxItems + " dropped (" + RecordLimits.KEY_SLATE_ITEMS + ")");
        }
    }
}
