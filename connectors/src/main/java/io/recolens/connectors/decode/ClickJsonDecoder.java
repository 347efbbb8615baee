package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.recolens.model.Click;
import java.io.IOException;

/**
 * Decodes one click JSON object into a {@link Click} with the streaming parser.
 *
 * <p>Required: {@code click_id}, {@code impression_id}, {@code timestamp}, {@code item_id}.
 * Optional: {@code trace_id} (validated and normalized when present), {@code position}
 * (-1 when absent), {@code user_id} (becomes {@link Click#unitKey}; the raw ID is dropped) and
 * {@code experiments}. Unknown fields are skipped.
 */
public class ClickJsonDecoder extends JsonObjectDecoder<Click> {
    private static final long serialVersionUID = 1L;
    static final String KIND = "click";

    public ClickJsonDecoder(DecoderSettings settings) {
        super(settings, KIND);
    }

    @Override
    protected Click readObject(JsonParser p) throws IOException, DecodeException {
        Click click = new Click();
        click.position = -1;
        String userId = null;
        boolean hasTimestamp = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_NULL) continue;
            switch (field) {
                case "click_id": click.clickId = JsonFields.scalarText(p, field); break;
                case "impression_id": click.impressionId = JsonFields.scalarText(p, field); break;
                case "trace_id": click.traceId = JsonFields.traceId(JsonFields.string(p, field)); break;
                case "item_id": click.itemId = JsonFields.scalarText(p, field); break;
                case "position": click.position = JsonFields.integer(p, field); break;
                case "user_id": userId = JsonFields.scalarText(p, field); break;
                case "timestamp":
                    click.clickedAt = checkedTimestamp(p, field);
                    hasTimestamp = true;
                    break;
                case "experiments": JsonFields.stringMap(p, field, click.experiments); break;
                default: p.skipChildren();
            }
        }
        if (click.clickId == null || click.clickId.isEmpty()) throw missing("click_id");
        if (click.impressionId == null || click.impressionId.isEmpty()) throw missing("impression_id");
        if (!hasTimestamp) throw missing("timestamp");
        if (click.itemId == null || click.itemId.isEmpty()) throw missing("item_id");
        checkLength("click_id", click.clickId);
        checkLength("impression_id", click.impressionId);
        checkLength("item_id", click.itemId);
        checkLength("user_id", userId);
        checkExperiments(click.experiments);
        if (userId != null && !userId.isEmpty()) click.unitKey = unitKeys.unitKey(userId);
        return click;
    }
}
