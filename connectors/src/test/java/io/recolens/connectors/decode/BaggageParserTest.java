package io.recolens.connectors.decode;

import static org.assertj.core.api.Assertions.assertThat;

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
    void readsOnlyTheFirst8192BytesAndReportsTheRest() {
        String member = "experiment.e%d=" + "x".repeat(200) + ",";
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 45; i++) header.append(String.format(member, i)); // about 9,500 bytes, 45 members
        BaggageParser.Parsed parsed = parser.parse(header.toString());
        assertThat(parsed.allowed()).hasSize(37).containsKey("experiment.e36").doesNotContainKey("experiment.e37");
        assertThat(parsed.ignored()).contains("bytes past 8192 ignored");
    }

    @Test
    void readsOnlyTheFirst64MembersAndReportsTheRest() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) b.append("experiment.k").append(i).append("=v,");
        BaggageParser.Parsed parsed = parser.parse(b.toString());
        assertThat(parsed.allowed()).hasSize(64).containsKey("experiment.k63").doesNotContainKey("experiment.k64");
        assertThat(parsed.ignored()).contains("36 list-members past 64 ignored");
    }

    @Test
    void exactly64MembersAreReadWithNothingReported() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 64; i++) b.append("k").append(i).append("=v,");
        BaggageParser.Parsed parsed = parser.parse(b.toString());
        assertThat(parsed.allowed()).isEmpty();
        assertThat(parsed.ignored()).isNull();
    }

    @Test
    void skipsAnOverlongAllowedValueAndKeepsTheRest() {
        BaggageParser.Parsed parsed = parser.parse("experiment.a=" + "v".repeat(300) + ",experiment.b=ok");
        assertThat(parsed.allowed()).containsExactly(Map.entry("experiment.b", "ok"));
        assertThat(parsed.ignored()).contains("1 list-members over the size limits ignored");
    }

    @Test
    void aHugeHeaderCostsNoMoreThanItsFirst8192Bytes() {
        String huge = "experiment.a=b," + "x".repeat(400_000);
        BaggageParser.Parsed parsed = parser.parse(huge);
        assertThat(parsed.allowed()).containsExactly(Map.entry("experiment.a", "b"));
        assertThat(parsed.ignored()).isNotNull();
    }
}
