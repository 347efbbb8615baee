package io.recolens.demo.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recolens.stats.drift.DriftAnalysis;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DriftCommandFlagsTest {

    @Test
    void fixedRangesAndSettingsWithTheRestLeftForTheConfigReader() {
        DriftCommand.Arguments a = DriftCommand.parse(new String[] {"--baseline-from", "2026-03-01T00:00:00Z", "--baseline-to",
                "2026-03-08T00:00:00Z", "--from", "1772928000000", "--to", "2026-03-09T00:00:00Z", "--threshold", "0.05",
                "--min-count", "50", "--no-write", "--config", "recolens.properties", "--catalog.namespace", "x"});
        DriftScan.Range[] r = a.ranges(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(r[0]).isEqualTo(new DriftScan.Range(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-08T00:00:00Z")));
        assertThat(r[1].from()).isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
        assertThat(a.settings()).isEqualTo(new DriftAnalysis.Settings(0.05, 3.0, 50));
        assertThat(a.write()).isFalse();
        assertThat(a.every()).isNull();
        assertThat(a.configArgs()).containsExactly("--config", "recolens.properties", "--catalog.namespace", "x");
    }

    @Test
    void everyComparesTheLatestWindowWithATrailingBaseline() {
        DriftCommand.Arguments a = DriftCommand.parse(new String[] {"--every", "15min", "--window", "1h", "--baseline", "1d", "--lag", "30min"});
        assertThat(a.every()).isEqualTo(Duration.ofMinutes(15));
        assertThat(a.settings()).isEqualTo(DriftAnalysis.Settings.defaults());
        DriftScan.Range[] r = a.ranges(Instant.parse("2026-03-02T12:30:00Z"));
        assertThat(r[1]).isEqualTo(new DriftScan.Range(Instant.parse("2026-03-02T11:00:00Z"), Instant.parse("2026-03-02T12:00:00Z")));
        assertThat(r[0]).isEqualTo(new DriftScan.Range(Instant.parse("2026-03-01T11:00:00Z"), Instant.parse("2026-03-02T11:00:00Z")));
        DriftScan.Range[] defaults = DriftCommand.parse(new String[] {"--every", "10min"}).ranges(Instant.parse("2026-03-02T12:35:00Z"));
        assertThat(defaults[1].to()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
        assertThat(Duration.between(defaults[0].from(), defaults[0].to())).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void refusesMissingOrMixedRangesAndBadValues() {
        assertThatThrownBy(() -> DriftCommand.parse(new String[] {"--from", "2026-03-01T00:00:00Z"}))
                .hasMessageContaining("--baseline-from");
        assertThatThrownBy(() -> DriftCommand.parse(new String[] {"--every", "10min", "--from", "2026-03-01T00:00:00Z"}))
                .hasMessageContaining("--every");
        assertThatThrownBy(() -> DriftCommand.parse(new String[] {"--baseline-from", "2026-03-02T00:00:00Z", "--baseline-to",
                "2026-03-01T00:00:00Z", "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-03T00:00:00Z"})).hasMessageContaining("empty range");
        assertThatThrownBy(() -> DriftCommand.parse(new String[] {"--every", "10min", "--threshold", "2"})).hasMessageContaining("--threshold");
        assertThatThrownBy(() -> DriftCommand.parse(new String[] {"--every"})).hasMessageContaining("needs a value");
    }
}
