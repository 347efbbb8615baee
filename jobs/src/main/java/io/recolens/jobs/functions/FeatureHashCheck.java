package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import io.recolens.model.FeatureRef;
import io.recolens.model.LineageRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by unit: a feature version is immutable, so every impression of one lineage ID and feature version served to
 * the same unit must carry the same content hash. The hash of the unit's earliest such impression (in event time) is
 * the reference; every other hash is one {@code feature_hash_mismatch}, on the first impression that served it.
 * Different units legitimately get different hashes (the values are per user), so units are never compared with
 * each other, and keying by unit spreads the work evenly however hot a lineage is.
 *
 * <p>Rows come from join 3 once the watermark passed {@code served_at + lineage.provenance-wait}; they are decided
 * in event-time order at that time, so streaming and batch agree. A unit's references are forgotten
 * {@code lineage.provenance-retention} after its last impression.
 */
public class FeatureHashCheck extends KeyedProcessFunction<String, LineageRow, AnomalyRow> {
    private static final long serialVersionUID = 1L;
    private static final char SEP = '\u0000';

    private static final Comparator<HashClaim> ORDER =
            Comparator.comparingLong((HashClaim c) -> c.servedAt).thenComparing(c -> c.impressionId).thenComparing(c -> c.featureName);

    private final long waitMs;
    private final long retentionMs;

    private transient ListState<HashClaim> pending;
    /** lineage, feature and version → the reference claim. */
    private transient MapState<String, HashClaim> references;
    /** lineage, feature, version and hash already reported. */
    private transient MapState<String, Boolean> reported;
    private transient ValueState<Long> expireAt;

    public FeatureHashCheck(JobSettings settings) {
        this(settings.provenanceWaitMs, settings.provenanceRetentionMs);
    }

    public FeatureHashCheck(long waitMs, long retentionMs) {
        this.waitMs = waitMs;
        this.retentionMs = retentionMs;
    }

    /** The key: the unit; rows without one are not checked. */
    public static final class ByUnit implements KeySelector<LineageRow, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(LineageRow row) {
            return row.unitKey == null ? "" : row.unitKey;
        }
    }

    /**
     * A lineage row as the check reads it: unit, lineage, impression, experiments and features; its slate, clicks and
     * trace summary stay behind, so the shuffle by unit carries a few strings per feature instead of the whole row.
     */
    public static final class WhatTheCheckReads implements FlatMapFunction<LineageRow, LineageRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(LineageRow row, Collector<LineageRow> out) {
            if (row.unitKey == null || row.lineageId == null || row.features.isEmpty()) return;
            LineageRow slim = new LineageRow();
            slim.impressionId = row.impressionId;
            slim.traceId = row.traceId;
            slim.lineageId = row.lineageId;
            slim.unitKey = row.unitKey;
            slim.servedAt = row.servedAt;
            slim.experiments = row.experiments;
            slim.features = row.features;
            out.collect(slim);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-hashes", HashClaim.class));
        references = getRuntimeContext().getMapState(new MapStateDescriptor<>("reference-hashes", Types.STRING,
                Types.POJO(HashClaim.class)));
        reported = getRuntimeContext().getMapState(new MapStateDescriptor<>("reported-hashes", Types.STRING, Types.BOOLEAN));
        expireAt = getRuntimeContext().getState(new ValueStateDescriptor<>("expire-at", Long.class));
    }

    @Override
    public void processElement(LineageRow row, Context ctx, Collector<AnomalyRow> out) throws Exception {
        if (row.unitKey == null || row.lineageId == null) return;
        List<HashClaim> claims = claims(row);
        if (claims.isEmpty()) return;
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            decide(claims, out);
            return;
        }
        for (HashClaim c : claims) pending.add(c);
        EventTime.schedule(ctx.timerService(), row.servedAt + waitMs);
        long expiry = row.servedAt + waitMs + retentionMs;
        Long current = expireAt.value();
        if (current == null || expiry > current) {
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
            expireAt.update(expiry);
            EventTime.schedule(ctx.timerService(), expiry);
        }
    }

    private static List<HashClaim> claims(LineageRow row) {
        List<HashClaim> out = new ArrayList<>();
        for (FeatureRef f : row.features) {
            if (f.name == null || f.hash == null) continue;
            HashClaim c = new HashClaim();
            c.lineageId = row.lineageId;
            c.featureName = f.name;
            c.featureVersion = f.version;
            c.hash = f.hash;
            c.impressionId = row.impressionId;
            c.traceId = row.traceId;
            c.servedAt = row.servedAt;
            c.experiments = LineageFindings.experimentsText(row.experiments);
            if (row.experiments.size() == 1) {
                var only = row.experiments.entrySet().iterator().next();
                c.experiment = only.getKey();
                c.variant = only.getValue();
            }
            out.add(c);
        }
        return out;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AnomalyRow> out) throws Exception {
        List<HashClaim> ready = new ArrayList<>();
        List<HashClaim> later = new ArrayList<>();
        for (HashClaim c : pending.get()) {
            (c.servedAt + waitMs <= timestamp ? ready : later).add(c);
        }
        if (!ready.isEmpty()) {
            pending.update(later);
            decide(ready, out);
        }
        Long expiry = expireAt.value();
        if (expiry != null && expiry == timestamp && later.isEmpty() && !EventTime.isEnd(ctx.timerService().currentWatermark())) {
            references.clear();
            reported.clear();
            expireAt.clear();
        }
    }

    private void decide(List<HashClaim> claims, Collector<AnomalyRow> out) throws Exception {
        List<HashClaim> sorted = new ArrayList<>(claims);
        sorted.sort(ORDER);
        for (HashClaim c : sorted) {
            String version = c.lineageId + SEP + c.featureName + SEP + c.featureVersion;
            HashClaim ref = references.get(version);
            if (ref == null) {
                references.put(version, c);
                continue;
            }
            if (ref.hash.equals(c.hash) || reported.contains(version + SEP + c.hash)) continue;
            reported.put(version + SEP + c.hash, true);
            AnomalyRow a = AnomalyRow.of(LineageFindings.FEATURE_HASH_MISMATCH, c.servedAt, c.traceId, "feature " + c.featureName + "@"
                    + c.featureVersion + " of lineage " + c.lineageId + " served to this unit with hash " + c.hash + ", but impression "
                    + ref.impressionId + " of the same unit got hash " + ref.hash + (c.experiments == null ? "" : "; experiments " + c.experiments));
            a.impressionId = c.impressionId;
            a.lineageId = c.lineageId;
            a.experiment = c.experiment;
            a.variant = c.variant;
            out.collect(a);
        }
    }
}
