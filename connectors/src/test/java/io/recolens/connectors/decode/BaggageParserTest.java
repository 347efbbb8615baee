package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaggageParserTest {
    private final BaggageParser parser = new BaggageParser(TestRecords.settings());

    @Test
    void keepsOnlyAllowListedKeys() {
        Map<String, String> got = parser.parseAllowed(
                "experiment.rec_algorithm_v3=hybrid,user.cohort=new,user.id=u-123,session=abc,experiment.=x");
        assertThat(got).containsExactly(Map.entry("experiment.rec_algorithm_v3", "hybrid"), Map.entry("user.cohort", "new"));
    }

    @Test
    void handlesWhitespacePropertiesAndPercentEncoding() {
        Map<String, String> got = parser.parseAllowed(
                "  experiment.a = var%20one ;prop1;p2=v , user.cohort=%E2%9C%93 ");
        assertThat(got).containsEntry("experiment.a", "var one").containsEntry("user.cohort", "\u2713");
    }

    @Test
    void skipsMalformedMembers() {
        Map<String, String> got = parser.parseAllowed("garbage,,=novalue,experiment.bad=%zz,experiment.ok=1");
        assertThat(got).containsExactly(Map.entry("experiment.ok", "1"));
    }

    @Test
    void customAllowList() {
        BaggageParser custom = new BaggageParser(DecoderSettings.builder("s").baggageAllowList(List.of("tenant")).build());
        assertThat(custom.parseAllowed("tenant=t1,experiment.a=b")).containsExactly(Map.entry("tenant", "t1"));
    }

    @Test
    void rejectsHeaderOverTotalBytes() {
        String big = "experiment.a=" + "x".repeat(200) + ",";
        String header = big.repeat(45); // > 8192 bytes with fewer than 180 members
        assertThatThrownBy(() -> parser.parseAllowed(header))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit of 8192");
    }

    @Test
    void rejectsTooManyMembers() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 181; i++) b.append("k").append(i).append("=v,");
        assertThatThrownBy(() -> parser.parseAllowed(b.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("180 list-members");
    }

    @Test
    void acceptsExactly180Members() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 180; i++) b.append("k").append(i).append("=v,");
        assertThat(parser.parseAllowed(b.toString())).isEmpty();
    }

    @Test
    void rejectsOverlongAllowedValue() {
        assertThatThrownBy(() -> parser.parseAllowed("experiment.a=" + "v".repeat(300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit of 256");
    }
}
