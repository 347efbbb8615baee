package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.RecordDecoder;
import io.recolens.model.DeadLetter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.types.Either;

/**
 * One input of the pipeline: which stream, how its records are decoded and how its event time is tracked.
 *
 * @param stream which of the three inputs
 * @param decoder bytes to records and dead letters
 * @param type the records' type
 * @param watermarks timestamps and per-split watermarks over the decoded records
 */
public record DecodedInput<T>(Stream stream, RecordDecoder<T> decoder, TypeInformation<T> type,
                              WatermarkStrategy<Either<DeadLetter, T>> watermarks) {

    /** The three inputs, with the names used for metrics, files sub-folders and operator uids. */
    public enum Stream {
        IMPRESSIONS("impressions", Uids.SOURCE_IMPRESSIONS, Uids.DECODE_IMPRESSIONS, Uids.WATERMARKS_IMPRESSIONS, Uids.SPLIT_IMPRESSIONS),
        CLICKS("clicks", Uids.SOURCE_CLICKS, Uids.DECODE_CLICKS, Uids.WATERMARKS_CLICKS, Uids.SPLIT_CLICKS),
        SPANS("spans", Uids.SOURCE_SPANS, Uids.DECODE_SPANS, Uids.WATERMARKS_SPANS, Uids.SPLIT_SPANS);

        public final String label;
        public final String sourceUid;
        public final String decodeUid;
        public final String watermarksUid;
        public final String splitUid;

        Stream(String label, String sourceUid, String decodeUid, String watermarksUid, String splitUid) {
            this.label = label;
            this.sourceUid = sourceUid;
            this.decodeUid = decodeUid;
            this.watermarksUid = watermarksUid;
            this.splitUid = splitUid;
        }
    }
}
