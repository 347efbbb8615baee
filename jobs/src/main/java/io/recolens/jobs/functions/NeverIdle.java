package io.recolens.jobs.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Pass-through that keeps its output active: records and watermarks flow on, idleness does not. Placed on the
 * outputs of trace assembly so that nothing downstream of it can ever run ahead of trace assembly's event time.
 *
 * <p>Why: when all of an operator's inputs are idle, Flink marks its output idle, and a downstream operator then
 * ignores that channel when it combines watermarks. After a restore with all input consumed every input goes idle,
 * so trace assembly's outputs did too; the drain then reactivates the subtasks one at a time. When one trace
 * assembly subtask sent its final flush and the end of event time while another subtask's channel was still idle,
 * click attribution, first exposure and the aggregates reached the end of event time on the first channel alone and
 * received the second subtask's traces after it: clicks were judged orphans, exposures were written twice. With its
 * outputs never idle, a consumer waits for every trace assembly subtask, which is also what the job wants between
 * drains: attribution must not follow clicks past traces that are still open.
 */
public final class NeverIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // Deliberately not forwarded; see the class comment. The upstream output still tracks its own status, so
        // watermarks reach this operator only while trace assembly is active.
    }
}
