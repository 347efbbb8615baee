package io.recolens.jobs.functions;

import io.recolens.model.Click;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SlateItem;
import io.recolens.model.SpanRecord;
import java.util.Map;

/** Small builders for the records the function tests feed in. */
final class Fixtures {
    private Fixtures() {}

    static Impression impression(String id, String trace, long at, Map<String, String> experiments) {
        Impression i = new Impression();
        i.impressionId = id;
        i.traceId = trace;
        i.servedAt = at;
        i.unitKey = "unit-" + id;
        i.surface = "home_feed";
        i.segment = "new";
        i.lineageId = "lin-1";
        i.experiments.putAll(experiments);
        i.items.add(new SlateItem("item-a", 0, 0.9));
        i.items.add(new SlateItem("item-b", 1, 0.8));
        return i;
    }

    static SpanRecord span(String trace, String spanId, String service, long startMs, long durationMicros) {
        SpanRecord s = new SpanRecord();
        s.traceId = trace;
        s.spanId = spanId;
        s.parentSpanId = "";
        s.service = service;
        s.name = service + ".op";
        s.startMs = startMs;
        s.durationMicros = durationMicros;
        return s;
    }

    static SpanRecord child(String trace, String spanId, String service, long startMs, long durationMicros) {
        SpanRecord s = span(trace, spanId, service, startMs, durationMicros);
        s.parentSpanId = "root";
        return s;
    }

    static Click click(String id, String impressionId, String item, long at) {
        Click c = new Click();
        c.clickId = id;
        c.impressionId = impressionId;
        c.traceId = "t";
        c.itemId = item;
        c.clickedAt = at;
        return c;
    }

    static LineageRow served(String impressionId, long at, Map<String, String> experiments) {
        return TraceAssembler.lineageRow(impression(impressionId, "t-" + impressionId, at, experiments),
                experiments, Map.of(), new io.recolens.model.TraceSummary());
    }

    /** A lineage row as TraceAssembler sends it to ClickAttributor. */
    static AttributionInput servedRow(String impressionId, long at, Map<String, String> experiments) {
        return AttributionInput.row(served(impressionId, at, experiments));
    }
}
