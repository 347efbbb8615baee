package io.recolens.jobs.functions;

import io.recolens.jobs.config.JobSettings;
import io.recolens.model.AnomalyRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by lineage ID, feature and version: the hash first served (earliest impression, in event time) is the
 * reference, and every other hash is one {@code feature_hash_mismatch} on the first impression that served it.
 * Only {@link HashClaim}s come here (one per salt and distinct hash), never every impression, so a hot lineage does
 * not funnel its traffic through this key. Claims are decided in event-time order once the watermark has passed
 * {@code served_at + lineage.provenance-wait} (every salt's claims for that time are in by then); the reference is
 * forgotten {@code lineage.provenance-retention} after the last claim.
 */
public class FeatureHashCheck extends KeyedProcessFunction<String, HashClaim, AnomalyRow> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<HashClaim> ORDER =
            Comparator.comparingLong((HashClaim c) -> c.servedAt).thenComparing(c -> c.impressionId);

    private final long waitMs;
    private final long retentionMs;

    private transient ListState<HashClaim> pending;
    private transient ValueState<HashClaim> reference;
    private transient MapState<String, Boolean> reported;
    private transient ValueState<Long> expireAt;

    public FeatureHashCheck(JobSettings settings) {
        this(settings.provenanceWaitMs, settings.provenanceRetentionMs);
    }

    public FeatureHashCheck(long waitMs, long retentionMs) {
        this.waitMs = waitMs;
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-claims", HashClaim.class));
        reference = getRuntimeContext().getState(new ValueStateDescriptor<>("reference-hash", HashClaim.class));
        reported = getRuntimeContext().getMapState(new MapStateDescriptor<>("reported-hashes", Types.STRING, Types.BOOLEAN));
        expireAt = getRuntimeContext().getState(new ValueStateDescriptor<>("expire-at", Long.class));
    }

    @Override
    public void processElement(HashClaim claim, Context ctx, Collector<AnomalyRow> out) throws Exception {
        if (EventTime.isEnd(ctx.timerService().currentWatermark())) {
            decide(List.of(claim), out);
            return;
        }
        pending.add(claim);
        ctx.timerService().registerEventTimeTimer(claim.servedAt + waitMs);
        long expiry = claim.servedAt + waitMs + retentionMs;
        Long current = expireAt.value();
        if (current == null || expiry > current) {
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
            expireAt.update(expiry);
            ctx.timerService().registerEventTimeTimer(expiry);
        }
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
            reference.clear();
            reported.clear();
            expireAt.clear();
        }
    }

    private void decide(List<HashClaim> claims, Collector<AnomalyRow> out) throws Exception {
        List<HashClaim> sorted = new ArrayList<>(claims);
        sorted.sort(ORDER);
        for (HashClaim c : sorted) {
            HashClaim ref = reference.value();
            if (ref == null) {
                reference.update(c);
                continue;
            }
            if (ref.hash.equals(c.hash) || reported.contains(c.hash)) continue;
            reported.put(c.hash, true);
            AnomalyRow a = AnomalyRow.of(LineageFindings.FEATURE_HASH_MISMATCH, c.servedAt, c.traceId, "feature " + c.featureName + "@"
                    + c.featureVersion + " of lineage " + c.lineageId + " served with hash " + c.hash + ", but impression "
                    + ref.impressionId + " served it with hash " + ref.hash + (c.experiments == null ? "" : "; experiments " + c.experiments));
            a.impressionId = c.impressionId;
            a.lineageId = c.lineageId;
            a.experiment = c.experiment;
            a.variant = c.variant;
            out.collect(a);
        }
    }
}
