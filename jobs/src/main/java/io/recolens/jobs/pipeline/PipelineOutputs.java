package io.recolens.jobs.pipeline;

import io.recolens.model.AnomalyRow;
import io.recolens.model.Click;
import io.recolens.model.CompletenessRow;
import io.recolens.model.DeadLetter;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.Impression;
import io.recolens.model.LineageRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.SpanRecord;
import io.recolens.model.UnitDailyRow;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where each output table's rows go: Iceberg in production, collecting sinks in tests. */
public interface PipelineOutputs {
    void engagement(DataStream<EngagementRow> rows);

    void unitDaily(DataStream<UnitDailyRow> rows);

    void sideEffects(DataStream<SideEffectRow> rows);

    void exposures(DataStream<ExposureRow> rows);

    void lineage(DataStream<LineageRow> rows);

    void anomalies(DataStream<AnomalyRow> rows);

    void deadLetters(DataStream<DeadLetter> rows);

    void completeness(DataStream<CompletenessRow> rows);

    /** The raw archive (archive.enabled): decoded impressions, clicks and spans; ignored by outputs that keep no archive. */
    default void rawImpressions(DataStream<Impression> rows) {}

    default void rawClicks(DataStream<Click> rows) {}

    default void rawSpans(DataStream<SpanRecord> rows) {}
}
