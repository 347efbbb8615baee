package io.recolens.jobs.functions;

import io.recolens.model.LineageRow;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys of join 3. A few lineage IDs serve most impressions, so a lineage's impressions are spread over
 * {@code lineage.salts} keys by a hash of the impression ID, and every provenance span is copied to all of them
 * ({@link ProvenanceSpans}): the hot side (impressions) is split, the small side (a few spans per pipeline run) is
 * replicated. Keeping the whole row on one key avoids splitting it per feature and reassembling it afterwards.
 */
public final class LineageKeys {
    private LineageKeys() {}

    /** The salt of an impression: stable for its ID, so duplicates meet on one key. */
    public static int salt(String impressionId, int salts) {
        return impressionId == null ? 0 : Math.floorMod(impressionId.hashCode(), salts);
    }

    public static String key(String lineageId, int salt) {
        return (lineageId == null ? "" : lineageId) + '#' + salt;
    }

    /** Key of a lineage row. */
    public static final class OfRow implements KeySelector<LineageRow, String> {
        private static final long serialVersionUID = 1L;
        private final int salts;

        public OfRow(int salts) {
            this.salts = salts;
        }

        @Override
        public String getKey(LineageRow row) {
            return key(row.lineageId, salt(row.impressionId, salts));
        }
    }

    /** Key of one salted copy of a provenance span. */
    public static final class OfProvenance implements KeySelector<Provenance, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Provenance p) {
            return key(p.lineageId, p.salt);
        }
    }
}
