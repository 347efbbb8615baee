package io.recolens.connectors.iceberg;

import io.recolens.model.AnomalyRow;
import io.recolens.model.ClickRef;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SlateItem;
import io.recolens.model.UnitDailyRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One filled-in row of each model type, shared by the converter test and the sink ITCase. */
final class SampleRows {

    /** 2025-03-01T10:00:00Z. */
    static final long T0 = 1_740_823_200_000L;
    static final int DAY0 = (int) (T0 / 86_400_000L);

    private SampleRows() {}

    static EngagementRow engagement(String variant, long impressions) {
        EngagementRow r = new EngagementRow();
        r.windowStart = T0;
        r.windowEnd = T0 + 60_000;
        r.experiment = "ranker-v2";
        r.variant = variant;
        r.surface = "home";
        r.segment = null;
        r.impressions = impressions;
        r.itemImpressions = impressions * 10;
        r.clicks = 3;
        r.clickedImpressions = 2;
        return r;
    }

    static UnitDailyRow unitDaily() {
        UnitDailyRow r = new UnitDailyRow();
        r.day = DAY0;
        r.experiment = "ranker-v2";
        r.variant = "treatment";
        r.unitKey = "u-hash-1";
        r.impressions = 5;
        r.itemImpressions = 50;
        r.clicks = 1;
        r.clickedImpressions = 1;
        return r;
    }

    static SideEffectRow sideEffect() {
        SideEffectRow r = new SideEffectRow();
        r.windowStart = T0;
        r.windowEnd = T0 + 60_000;
        r.experiment = "ranker-v2";
        r.variant = "control";
        r.service = "ranking";
        r.operation = "GET /rank";
        r.spanCount = 4;
        r.errorCount = 1;
        r.durationSumMicros = 12_345;
        r.latencyHistogram = LatencyBuckets.newHistogram();
        r.latencyHistogram[LatencyBuckets.bucketOf(800)] = 3;
        r.latencyHistogram[LatencyBuckets.OVERFLOW_BUCKET] = 1;
        r.dbCalls = 2;
        r.dbTimeMicros = 900;
        r.cacheHits = 7;
        r.cacheMisses = 1;
        return r;
    }

    static ExposureRow exposure() {
        ExposureRow r = new ExposureRow();
        r.experiment = "ranker-v2";
        r.variant = "treatment";
        r.unitKey = "u-hash-1";
        r.firstExposureAt = T0 + 1_234;
        r.impressionId = "imp-1";
        r.surface = "home";
        r.segment = "new";
        return r;
    }

    static LineageRow lineage() {
        LineageRow r = new LineageRow();
        r.impressionId = "imp-1";
        r.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        r.lineageId = "lin-1";
        r.unitKey = "u-hash-1";
        r.sessionId = "s-1";
        r.surface = "home";
        r.segment = "new";
        r.servedAt = T0 + 1_234;
        r.experiments = Map.of("ranker-v2", "treatment", "color", "blue");
        r.variantSources = Map.of("ranker-v2", "impression", "color", "baggage");
        r.modelName = "two-tower";
        r.modelVersion = "7";
        FeatureRef embedding = new FeatureRef("user_embedding", "v3", "abc");
        embedding.source = "warehouse.features.user_embedding_v3";
        embedding.pipelineTraceId = "0af7651916cd43dd8448eb211c80319c";
        embedding.producedAt = T0 - 60_000;
        r.features = List.of(embedding, new FeatureRef("item_pop", "v1", "def"));
        r.items = List.of(new SlateItem("item-9", 0, 0.93), new SlateItem("item-4", 1, 0.71));
        r.trace.spanCount = 5;
        r.trace.errorCount = 0;
        r.trace.rootDurationMicros = 42_000;
        r.trace.dbTimeMicros = 1_500;
        r.trace.cacheHits = 3;
        r.trace.cacheMisses = 1;
        r.trace.serviceTimeMicros = Map.of("gateway", 42_000L, "ranking", 30_000L);
        r.clicks = List.of(new ClickRef("c-1", "item-4", 1, T0 + 5_000));
        return r;
    }

    static io.recolens.model.CompletenessRow completeness() {
        io.recolens.model.CompletenessRow c = new io.recolens.model.CompletenessRow();
        c.day = (int) (T0 / 86_400_000L);
        c.bucketStart = c.day * 86_400_000L;
        c.experiment = "rec_algorithm_v3";
        c.variant = "hybrid";
        c.impressions = 10;
        c.completeImpressions = 9;
        c.features = 30;
        c.featuresWithAncestry = 29;
        c.staleFeatures = 1;
        return c;
    }

    static AnomalyRow anomaly() {
        AnomalyRow a = AnomalyRow.of(AnomalyRow.ORPHAN_CLICK, T0 + 9_000, "4bf92f3577b34da6a3ce929d0e0e4736", "click without impression");
        a.clickId = "c-9";
        return a;
    }

    static DeadLetter deadLetter() {
        DeadLetter d = new DeadLetter();
        d.source = "impressions";
        d.partition = 2;
        d.offset = 4711;
        d.kind = "impression";
        d.error = "missing impression_id";
        d.raw = "{\"bad\":true}".getBytes(StandardCharsets.UTF_8);
        d.rawSize = d.raw.length;
        d.recordTimestamp = T0 + 100;
        return d;
    }
}
