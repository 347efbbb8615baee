package io.recolens.jobs.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Pass-through that makes sure the end of event time leaves the impression path when its input ends (a drain
 * or the end of bounded input): if the source's final watermark did not arrive because the input was idle,
 * it marks the output active and sends it.
 *
 * <p>Why: an idle output drops watermarks, including the final one a drain sends. An impression split that
 * delivered records never goes idle, but after a restore its watermark generator starts afresh and goes idle
 * when no impression arrives within the idle timeout (everything was already read before the checkpoint).
 * With clicks and spans quiet too, no final watermark would reach trace assembly, click attribution and the
 * aggregates, and the drain would finish with their open windows unwritten. Sending it from the impression
 * path keeps the order the job relies on: traces close before click attribution sees the end of event time.
 */
public final class FinalWatermark<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T>, BoundedOneInput {
    private transient long lastWatermark;
    private transient boolean idle;

    @Override
    public void open() throws Exception {
        super.open();
        lastWatermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        lastWatermark = Math.max(lastWatermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    @Override
    public void endInput() throws Exception {
        if (lastWatermark == Long.MAX_VALUE) return;
        if (idle) processWatermarkStatus(WatermarkStatus.ACTIVE);
        processWatermark(Watermark.MAX_WATERMARK);
    }
}
