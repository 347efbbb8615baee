package io.recolens.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.recolens.model.Click;
import io.recolens.model.FeatureRef;
import io.recolens.model.Impression;
import io.recolens.model.SlateItem;
import io.recolens.model.SpanRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every archived record comes back equal in every field after a trip through the table's own Flink row serializer
 * (the binary rows an Iceberg read yields), nulls and the -1 of "not a cache lookup" included.
 */
class ArchiveRowsTest {

    @Test
    void impressionComesBackFieldByField() throws IOException {
        Impression i = new Impression();
        i.impressionId = "imp-1";
        i.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        i.lineageId = "lin-7";
        i.unitKey = "0123456789abcdef0123456789abcdef";
        i.sessionId = "s-1";
        i.surface = "home";
        i.segment = "new";
        i.servedAt = 1_772_359_200_123L;
        i.experiments = Map.of("rec_algorithm_v3", "hybrid");
        i.baggageExperiments = Map.of("ranking_boost_v2", "control");
        i.modelName = "ranker";
        i.modelVersion = "2.3";
        i.features = List.of(new FeatureRef("user_emb", "v5", "h1"), new FeatureRef("item_pop", "v2", null));
        i.items = List.of(new SlateItem("it-1", 0, 0.9), new SlateItem("it-2", 1, 0.25));
        i.trimmed = "items: 300 > 200, kept 200";

        Impression back = ArchiveRows.toImpression(TableRowsTest.roundTrip(TableDefinitions.RAW_IMPRESSIONS, ArchiveRows.impression(i)));

        assertThat(back).usingRecursiveComparison().isEqualTo(i);
    }

    @Test
    void impressionWithNullsAndEmptyCollections() throws IOException {
        Impression i = new Impression();
        i.impressionId = "imp-2";
        i.servedAt = 5L;

        Impression back = ArchiveRows.toImpression(TableRowsTest.roundTrip(TableDefinitions.RAW_IMPRESSIONS, ArchiveRows.impression(i)));

        assertThat(back).usingRecursiveComparison().isEqualTo(i);
        assertThat(back.traceId).isNull();
        assertThat(back.trimmed).isNull();
    }

    @Test
    void clickComesBack() throws IOException {
        Click c = new Click();
        c.clickId = "c-1";
        c.impressionId = "imp-1";
        c.traceId = null;
        c.itemId = "it-2";
        c.position = 1;
        c.unitKey = "0123456789abcdef0123456789abcdef";
        c.clickedAt = 1_772_359_260_001L;
        c.experiments = Map.of("rec_algorithm_v3", "hybrid");

        Click back = ArchiveRows.toClick(TableRowsTest.roundTrip(TableDefinitions.RAW_CLICKS, ArchiveRows.click(c)));

        assertThat(back).usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void spanComesBack() throws IOException {
        SpanRecord s = new SpanRecord();
        s.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        s.spanId = "00f067aa0ba902b7";
        s.parentSpanId = "";
        s.service = "feature-store";
        s.name = "GET features";
        s.kind = 3;
        s.startMs = 1_772_359_200_100L;
        s.durationMicros = 12_345;
        s.error = true;
        s.database = true;
        s.cacheHit = -1;
        s.attributeVariants = Map.of("rec_algorithm_v3", "hybrid");
        s.flagVariants = Map.of("ranking_boost_v2", "recency_boost");
        s.lineageId = "lin-7";
        s.featureName = "user_emb";
        s.featureVersion = "v5";
        s.featureSource = "s3://features";
        s.modelName = "ranker";
        s.modelVersion = "2.4";
        s.trimmed = null;

        SpanRecord back = ArchiveRows.toSpan(TableRowsTest.roundTrip(TableDefinitions.RAW_SPANS, ArchiveRows.span(s)));

        assertThat(back).usingRecursiveComparison().isEqualTo(s);
        assertThat(back.cacheHit).isEqualTo(-1);
    }

    @Test
    void archiveDefinitionsLoadWithShortRetentionAndAUnitKeyInsteadOfUserIds() {
        Map<String, TableDefinition> archive = TableDefinitions.loadArchive();
        assertThat(archive.keySet()).containsExactlyElementsOf(TableDefinitions.ARCHIVE_TABLES);
        for (TableDefinition d : archive.values()) {
            assertThat(d.retentionDays()).as(d.name()).isEqualTo(7);
            assertThat(d.withRetentionDays(2).retentionDays()).isEqualTo(2);
            assertThat(d.schema().columns()).noneMatch(c -> c.name().contains("user"));
        }
        assertThat(archive.get(TableDefinitions.RAW_IMPRESSIONS).schema().findField("unit_key")).isNotNull();
        assertThat(archive.get(TableDefinitions.RAW_CLICKS).schema().findField("unit_key")).isNotNull();
    }
}
