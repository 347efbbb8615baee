package io.recolens.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD check itself, and the gap it works around: flink-kubernetes-operator-api 1.10.0, the newest on the
 * mirror, has no v2_1 in spec.flinkVersion, so the chart's FlinkDeployments validate only with that enum patched.
 */
class FlinkDeploymentCrdTest {
    private static final StructuralSchema AS_SHIPPED =
            StructuralSchema.fromCrdResource(StructuralSchema.FLINK_DEPLOYMENT_CRD, "v1beta1");
    private static final StructuralSchema PATCHED = AS_SHIPPED.withEnumValues(List.of("spec", "flinkVersion"), "v2_1");

    private static ObjectNode rendered() {
        return (ObjectNode) HelmChart.template().get("FlinkDeployment", "recolens").deepCopy();
    }

    @Test
    void operatorApiOnTheMirrorPredatesFlink21OnlyInTheVersionEnum() {
        assertThat(AS_SHIPPED.enumAt("spec", "flinkVersion")).contains("v1_20").doesNotContain("v2_1");
        assertThat(AS_SHIPPED.validateObject(rendered()))
                .as("everything but the version matches the 1.10.0 CRD; when this fails because v2_1 is accepted, "
                        + "a newer operator-api is in use: drop the enum patch and this note in docs/deployment.md")
                .containsExactly("spec.flinkVersion: \"v2_1\" is not one of " + AS_SHIPPED.enumAt("spec", "flinkVersion")
                        .stream().map(v -> "\"" + v + "\"").toList().toString().replace(" ", ""));
        assertThat(PATCHED.validateObject(rendered())).isEmpty();
    }

    @Test
    void unknownFieldsWrongTypesAndBadEnumsAreReportedWithTheirPath() {
        ObjectNode fd = rendered();
        ((ObjectNode) fd.at("/spec/job")).put("jarUri", "local:///x.jar");
        ((ObjectNode) fd.at("/spec/job")).put("parallelism", "2");
        ((ObjectNode) fd.at("/spec/job")).put("upgradeMode", "stateles");
        ((ObjectNode) fd.at("/spec/podTemplate/spec/containers/0")).put("securityContxt", "x");
        ((ObjectNode) fd.at("/spec/flinkConfiguration")).put("parallelism.default", 4);
        assertThat(PATCHED.validateObject(fd)).containsExactlyInAnyOrder(
                "spec.job.jarUri: unknown field",
                "spec.job.parallelism: must be an integer, got STRING \"2\"",
                "spec.job.upgradeMode: \"stateles\" is not one of [\"last-state\",\"savepoint\",\"stateless\"]",
                "spec.podTemplate.spec.containers[0].securityContxt: unknown field",
                "spec.flinkConfiguration.parallelism.default: must be a string, got NUMBER 4");
    }

    @Test
    void intOrStringFieldsTakeBoth() {
        ObjectNode fd = rendered();
        JsonNode limits = HelmChart.YAML.valueToTree(java.util.Map.of("cpu", 2, "memory", "4Gi"));
        ((ObjectNode) fd.at("/spec/podTemplate/spec/containers/0")).putObject("resources").set("limits", limits);
        assertThat(PATCHED.validateObject(fd)).isEmpty();
        ((ObjectNode) fd.at("/spec/podTemplate/spec/containers/0/resources/limits")).put("cpu", true);
        assertThat(PATCHED.validateObject(fd)).containsExactly(
                "spec.podTemplate.spec.containers[0].resources.limits.cpu: must be an integer or a string, got BOOLEAN");
    }
}
