package io.recolens.jobs.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums additive rows of one key inside a task before they are shuffled to their aggregator, so the network and
 * the aggregator's sort or state see one row per key and flush instead of one per trace or impression.
 *
 * <p>It holds no state across a checkpoint: partial sums are sent on before every checkpoint barrier, before
 * every watermark (so none reaches the aggregator behind the event time it belongs to), when {@code maxKeys}
 * keys are held, and at the end of input. Downstream the rows are partial sums like any other; their SUM is
 * unchanged, which is what makes this safe in both modes and under restarts.
 */
public final class CombineBeforeShuffle<R> extends AbstractStreamOperator<R> implements OneInputStreamOperator<R, R>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Enough keys for a busy minute of windows × variants × services; small enough to be no memory concern. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final Additive<R> additive;
    private final int maxKeys;
    private transient Map<String, R> partials;
    private transient StreamRecord<R> reuse;

    public CombineBeforeShuffle(Additive<R> additive) {
        this(additive, DEFAULT_MAX_KEYS);
    }

    public CombineBeforeShuffle(Additive<R> additive, int maxKeys) {
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
        this.additive = additive;
        this.maxKeys = maxKeys;
    }

    @Override
    public void open() throws Exception {
        super.open();
        partials = new HashMap<>();
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<R> element) throws Exception {
        R row = element.getValue();
        R partial = partials.putIfAbsent(additive.getKey(row), row);
        if (partial != null) {
            additive.addInto(partial, row);
        } else if (partials.size() >= maxKeys) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** Rows held now; for tests. */
    int held() {
        return partials.size();
    }

    private void flush() {
        if (partials.isEmpty()) return;
        for (R row : partials.values()) {
            additive.seal(row);
            output.collect(reuse.replace(row));
        }
        partials.clear();
    }
}
