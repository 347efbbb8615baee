package io.recolens.jobs.functions;

import io.recolens.model.CompletenessRow;
import io.recolens.model.EngagementRow;
import io.recolens.model.ExperimentVariantRow;
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

    /**
     * Tables whose only limited dimensions are experiment and variant; a row of a registered variant needs no slot.
     * An overflowed experiment also sends the variant to {@code __overflow__}.
     */
    abstract class ExperimentAndVariant<R extends ExperimentVariantRow> implements LimitedDimensions<R> {
        private static final long serialVersionUID = 1L;

        @Override
        public final void limit(R row, Dimensions d) throws Exception {
            String experiment = d.experiment(row.experimentName());
            row.assignVariant(experiment, d.variant(experiment, row.variantName()));
        }

        @Override
        public final boolean alwaysAdmitted(R row, Map<String, Set<String>> known) {
            String experiment = row.experimentName();
            String variant = row.variantName();
            return CardinalityLimiter.isKnown(known, experiment, variant)
                    && experiment.length() <= CardinalityLimiter.MAX_VALUE_LENGTH && variant.length() <= CardinalityLimiter.MAX_VALUE_LENGTH;
        }
    }

    /** experiment_unit_daily: the unit is the table's grain and is never limited. */
    final class UnitDaily extends ExperimentAndVariant<UnitDailyRow> {
        private static final long serialVersionUID = 1L;
        private final Aggregates.UnitDaily key = new Aggregates.UnitDaily(1, 0);

        @Override
        public String order(UnitDailyRow r) {
            return key.getKey(r);
        }
    }

    /**
     * experiment_exposures: surface and segment are attributes of an exposure, not part of its key, so they cannot
     * multiply its rows and are left as they are.
     */
    final class Exposures extends ExperimentAndVariant<ExposureRow> {
        private static final long serialVersionUID = 1L;

        @Override
        public String order(ExposureRow x) {
            return ExposureCandidates.key(x) + '\u0000' + x.firstExposureAt + '\u0000' + x.impressionId;
        }
    }

    /** lineage_completeness, per day. */
    final class Completeness extends ExperimentAndVariant<CompletenessRow> {
        private static final long serialVersionUID = 1L;
        private final CompletenessContributions.Sums key = new CompletenessContributions.Sums(1, 0);

        @Override
        public String order(CompletenessRow r) {
            return key.getKey(r);
        }
    }
}
