package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults, overrides and the deprecated key of the bounded-state and late-data options. */
class LatenessSettingsTest {
    private static final Map<String, String> ENV = Map.of(RecolensOptions.UNIT_KEY_ENV, "a-long-enough-test-secret-0123456789");

    private static JobSettings settings(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--kafka.bootstrap-servers";
        all[1] = "localhost:9092";
        System.arraycopy(args, 0, all, 2, args.length);
        return JobSettings.from(ConfigReader.fromArgs(all), ENV);
    }

    @Test
    void defaults() {
        JobSettings s = settings();
        assertThat(s.allowedLatenessMs).isEqualTo(600_000);
        assertThat(s.traceMaxSpans).isEqualTo(2000);
        assertThat(s.traceMaxDurationMs).isEqualTo(600_000);
        assertThat(s.maxPendingClicks).isEqualTo(1000);
    }

    @Test
    void overrides() {
        JobSettings s = settings("--lateness.allowed", "2 min", "--trace.max-spans", "50", "--trace.max-duration", "1 min",
                "--attribution.max-pending-clicks", "7");
        assertThat(s.allowedLatenessMs).isEqualTo(120_000);
        assertThat(s.traceMaxSpans).isEqualTo(50);
        assertThat(s.traceMaxDurationMs).isEqualTo(60_000);
        assertThat(s.maxPendingClicks).isEqualTo(7);
    }

    @Test
    void theDeprecatedLateRetentionKeyStillWorksAndTheNewKeyWins() {
        assertThat(settings("--state.late-retention", "3 min").allowedLatenessMs).isEqualTo(180_000);
        assertThat(settings("--state.late-retention", "3 min", "--lateness.allowed", "4 min").allowedLatenessMs).isEqualTo(240_000);
    }

    @Test
    void capsMustBePositive() {
        assertThatThrownBy(() -> settings("--trace.max-spans", "0")).isInstanceOf(ConfigException.class).hasMessageContaining("trace.max-spans");
        assertThatThrownBy(() -> settings("--attribution.max-pending-clicks", "-1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.max-pending-clicks");
    }
}
