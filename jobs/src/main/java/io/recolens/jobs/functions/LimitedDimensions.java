package io.recolens.jobs.functions;

import io.recolens.model.CompletenessRow;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExposureRow;
import io.recolens.model.SideEffectRow;
import io.recolens.model.UnitDailyRow;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/** Which dimensions of an aggregate table's rows the cardinality limits bound, and in which order rows are decided. */
public interface LimitedDimensions<R> extends Serializable {

    /** The limited dimensions, as {@link CardinalityLimiter} decides them. */
    interface Dimensions {
        String experiment(String experiment) throws Exception;

        String variant(String experiment, String variant) throws Exception;

        String surface(String surface) throws Exception;

        String segment(String segment) throws Exception;

        String service(String service) throws Exception;

        String operation(String service, String operation) throws Exception;
    }

    /** Rewrites the row's limited dimensions with the decided values. */
    void limit(R row, Dimensions d) throws Exception;

    /** A total order of the rows decided at one instant, so that which value gets the last free slot never depends on arrival order. */
    String order(R row);

    /** True when every limited dimension of the row is always admitted: it needs no slot and passes at once. */
    default boolean alwaysAdmitted(R row, Map<String, Set<String>> known) {
        return false;
    }

    /** variant_engagement: experiment, variant, surface, segment. */
    final class Engagement implements LimitedDimensions<EngagementRow> {
        private static final long serialVersionUID = 1L;
        private final Aggregates.Engagement key = new Aggregates.Engagement(0);

        @Override
        public void limit(EngagementRow r, Dimensions d) throws Exception {
            r.experiment = d.experiment(r.experiment);
            r.variant = d.variant(r.experiment, r.variant);
            r.surface = d.surface(r.surface);
            r.segment = d.segment(r.segment);
        }

        @Override
        public String order(EngagementRow r) {
            return key.getKey(r);
        }
    }

    /** variant_side_effects: experiment, variant, service, operation. */
    final class SideEffects implements LimitedDimensions<SideEffectRow> {
        private static final long serialVersionUID = 1L;
        private final Aggregates.SideEffects key = new Aggregates.SideEffects(0);

        @Override
        public void limit(SideEffectRow r, Dimensions d) throws Exception {
            r.experiment = d.experiment(r.experiment);
            r.variant = d.variant(r.experiment, r.variant);
            r.service = d.service(r.service);
            r.operation = d.operation(r.service, r.operation);
        }

        @Override
        public String order(SideEffectRow r) {
            return key.getKey(r);
        }
    }

    /** experiment_unit_daily: experiment and variant; the unit is the table's grain and is never limited. */
    final class UnitDaily implements LimitedDimensions<UnitDailyRow> {
        private static final long serialVersionUID = 1L;
        private final Aggregates.UnitDaily key = new Aggregates.UnitDaily(1, 0);

        @Override
        public void limit(UnitDailyRow r, Dimensions d) throws Exception {
            r.experiment = d.experiment(r.experiment);
            r.variant = d.variant(r.experiment, r.variant);
        }

        @Override
        public String order(UnitDailyRow r) {
            return key.getKey(r);
        }

        @Override
        public boolean alwaysAdmitted(UnitDailyRow r, Map<String, Set<String>> known) {
            return knownAndShort(known, r.experiment, r.variant);
        }
    }

    /**
     * experiment_exposures: experiment and variant, as in experiment_unit_daily. Surface and segment are attributes of
     * an exposure, not part of its key, so they cannot multiply its rows and are left as they are.
     */
    final class Exposures implements LimitedDimensions<ExposureRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void limit(ExposureRow r, Dimensions d) throws Exception {
            r.experiment = d.experiment(r.experiment);
            r.variant = d.variant(r.experiment, r.variant);
        }

        @Override
        public String order(ExposureRow r) {
            return ExposureCandidates.key(r) + '\u0000' + r.firstExposureAt + '\u0000' + r.impressionId;
        }

        @Override
        public boolean alwaysAdmitted(ExposureRow r, Map<String, Set<String>> known) {
            return knownAndShort(known, r.experiment, r.variant);
        }
    }

    /** lineage_completeness: experiment and variant, per day. */
    final class Completeness implements LimitedDimensions<CompletenessRow> {
        private static final long serialVersionUID = 1L;
        private final CompletenessContributions.Sums key = new CompletenessContributions.Sums(1, 0);

        @Override
        public void limit(CompletenessRow r, Dimensions d) throws Exception {
            r.experiment = d.experiment(r.experiment);
            r.variant = d.variant(r.experiment, r.variant);
        }

        @Override
        public String order(CompletenessRow r) {
            return key.getKey(r);
        }

        @Override
        public boolean alwaysAdmitted(CompletenessRow r, Map<String, Set<String>> known) {
            return knownAndShort(known, r.experiment, r.variant);
        }
    }

    /** A registered experiment variant whose names the limiter keeps as they are. */
    private static boolean knownAndShort(Map<String, Set<String>> known, String experiment, String variant) {
        return CardinalityLimiter.isKnown(known, experiment, variant)
                && experiment.length() <= CardinalityLimiter.MAX_VALUE_LENGTH && variant.length() <= CardinalityLimiter.MAX_VALUE_LENGTH;
    }
}
