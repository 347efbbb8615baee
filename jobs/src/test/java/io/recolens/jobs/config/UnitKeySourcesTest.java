package io.recolens.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HMAC key's three sources: any one works, two that differ stop the start naming both. */
class UnitKeySourcesTest {
    private static final String KEY_A = "first-long-enough-secret-0123456789";
    private static final String KEY_B = "second-long-enough-secret-987654321";

    private static JobSettings settings(Map<String, String> env, Map<String, String> options) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("kafka.bootstrap-servers", "x:1"));
        m.putAll(options);
        return JobSettings.from(ConfigReader.fromMap(m), env);
    }

    @Test
    void propertyAndEnvironmentThatDifferStopTheStartNamingBoth() {
        assertThatThrownBy(() -> settings(Map.of(RecolensOptions.UNIT_KEY_ENV, KEY_A), Map.of("unit-key.secret", KEY_B)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("two different HMAC keys")
                .hasMessageContaining("environment variable RECOLENS_UNIT_KEY_SECRET").hasMessageContaining("unit-key.secret")
                .hasMessageNotContaining(KEY_A).hasMessageNotContaining(KEY_B);
    }

    @Test
    void theSameKeyInTwoPlacesIsFine() {
        assertThat(settings(Map.of(RecolensOptions.UNIT_KEY_ENV, KEY_A), Map.of("unit-key.secret", KEY_A)).unitKey.resolve()).isEqualTo(KEY_A);
    }

    @Test
    void aMountedFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("unit-key");
        Files.writeString(file, KEY_A + "\n");
        JobSettings s = settings(Map.of(), Map.of("unit-key.secret-file", file.toString()));
        assertThat(s.unitKey.resolve()).isEqualTo(KEY_A);
        assertThatThrownBy(() -> settings(Map.of(RecolensOptions.UNIT_KEY_ENV, KEY_B), Map.of("unit-key.secret-file", file.toString())))
                .hasMessageContaining("unit-key.secret-file (" + file.toAbsolutePath() + ")")
                .hasMessageContaining("environment variable RECOLENS_UNIT_KEY_SECRET");
        assertThatThrownBy(() -> settings(Map.of(), Map.of("unit-key.secret-file", dir.resolve("missing").toString())))
                .hasMessageContaining("cannot read");
    }

    @Test
    void aTaskManagerThatFindsAnotherKeyFailsInsteadOfWritingOtherUnitKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("unit-key");
        Files.writeString(file, KEY_A);
        JobSettings s = settings(Map.of(), Map.of("unit-key.secret-file", file.toString()));
        // A separate TaskManager: no copy of the key in its JVM, and another key at the same mount path.
        s.unitKey.forgetInThisJvm();
        Files.writeString(file, KEY_B);
        assertThatThrownBy(() -> s.unitKey.resolve()).hasMessageContaining("differs from the one the job was started with")
                .hasMessageNotContaining(KEY_B);
        Files.writeString(file, KEY_A);
        assertThat(s.unitKey.resolve()).isEqualTo(KEY_A);
        Files.delete(file);
        assertThatThrownBy(() -> s.unitKey.resolve()).hasMessageContaining("no unit-key secret on this TaskManager");
    }
}
