package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnitKeysTest {

    @Test
    void sameInputAndSecretGiveTheSameKey() {
        assertThat(new UnitKeys("s1").unitKey("u-123")).isEqualTo(new UnitKeys("s1").unitKey("u-123"));
    }

    @Test
    void keyIs32LowercaseHexAndNeverTheRawId() {
        String key = new UnitKeys("s1").unitKey("u-123");
        assertThat(key).hasSize(32).matches("[0-9a-f]{32}").doesNotContain("u-123");
    }

    @Test
    void matchesHmacSha256ReferenceValue() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertThat(new UnitKeys("Jefe").unitKey("what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c7");
    }

    @Test
    void differentSecretsOrUsersGiveDifferentKeys() {
        UnitKeys a = new UnitKeys("s1");
        assertThat(a.unitKey("u-1")).isNotEqualTo(a.unitKey("u-2"));
        assertThat(a.unitKey("u-1")).isNotEqualTo(new UnitKeys("s2").unitKey("u-1"));
    }

    @Test
    void emptySecretIsRefused() {
        assertThatThrownBy(() -> new UnitKeys("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecoderSettings.builder("").build()).isInstanceOf(IllegalArgumentException.class);
    }
}
