package io.recolens.interop;

import java.util.List;
import java.util.Map;

/**
 * The output columns of each query, the same in every engine folder: the contract between {@code sql/spark},
 * {@code sql/trino} and {@code expected.json}, so a column renamed in one place only is caught.
 */
final class QueryColumns {

    private QueryColumns() {}

    static final Map<String, List<String>> BY_QUERY = Map.of(
            "ctr_by_variant", List.of("experiment", "variant", "impressions", "item_impressions", "clicks", "clicked_impressions",
                    "ctr", "item_ctr", "slate_ctr"),
            "side_effects_by_service", List.of("experiment", "variant", "service", "spans", "errors", "error_rate", "mean_ms",
                    "db_calls", "db_time_ms", "cache_hits", "cache_misses", "cache_hit_rate", "p95_ms"),
            "lineage_by_impression", List.of("impression_id", "trace_id", "lineage_id", "unit_key", "session_id", "surface",
                    "segment", "served_at", "experiments", "variant_sources", "model_name", "model_version", "features",
                    "item_count", "click_count", "trace_span_count", "trace_error_count", "trace_root_duration_micros",
                    "trace_db_time_micros"),
            "lineage_by_trace", List.of("trace_id", "impression_id", "served_at", "experiments", "model_version", "click_count",
                    "span_count", "error_count", "root_duration_micros", "db_time_micros", "cache_hits", "cache_misses",
                    "service_time_micros", "anomalies"),
            "anomalies_by_variant", List.of("kind", "experiment", "variant", "findings"),
            "exposures_srm", List.of("experiment", "variant", "units", "share"),
            "latency_percentiles", List.of("experiment", "variant", "service", "histogram_spans", "p50_ms", "p95_ms", "p99_ms"),
            "retention_state", List.of("table_name", "row_count", "oldest_day", "newest_day", "retention_days",
                    "oldest_allowed_day", "beyond_retention"),
            "lineage_completeness_by_variant", List.of("day", "experiment", "variant", "impressions", "complete_impressions",
                    "completeness", "features_missing_ancestry", "stale_features"),
            "provenance_by_impression", List.of("impression_id", "lineage_id", "model_name", "model_version", "feature",
                    "feature_version", "feature_hash", "source", "pipeline_trace_id", "produced_at"));
}
