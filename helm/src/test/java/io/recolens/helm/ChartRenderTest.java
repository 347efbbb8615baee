package io.recolens.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * helm template for the default values and several value sets: FlinkDeployments checked against the operator's CRD
 * schema (flinkVersion enum patched for v2_1), core objects against the Kubernetes model, and what the job receives.
 */
class ChartRenderTest {
    private static final StructuralSchema CRD = StructuralSchema
            .fromCrdResource(StructuralSchema.FLINK_DEPLOYMENT_CRD, "v1beta1")
            .withEnumValues(List.of("spec", "flinkVersion"), "v2_1");
    private static final String FULLNAME = "recolens";

    static Stream<String> valueSets() {
        return Stream.of("", "last-state.yaml", "secrets.yaml", "backfill.yaml", "monitoring.yaml", "minimal.yaml", "alerts.yaml");
    }

    private static HelmChart.Rendered render(String valueSet) {
        return valueSet.isEmpty() ? HelmChart.template() : HelmChart.template(valueSet);
    }

    @ParameterizedTest(name = "values {0}")
    @MethodSource("valueSets")
    void everyRenderedObjectIsValid(String valueSet) {
        HelmChart.Rendered r = render(valueSet);
        assertThat(r.objects).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (JsonNode o : r.objects) {
            String id = o.path("kind").asText() + " " + o.path("metadata").path("name").asText() + ": ";
            KubernetesModel.problems(o.path("metadata"), ObjectMeta.class).forEach(p -> problems.add(id + p));
            String kind = o.path("kind").asText();
            if (kind.equals("FlinkDeployment")) {
                assertThat(o.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
                CRD.validateObject(o).forEach(p -> problems.add(id + p));
                KubernetesModel.problems(o.at("/spec/podTemplate"), Pod.class).forEach(p -> problems.add(id + "podTemplate " + p));
                if (o.at("/spec/jobManager").has("podTemplate")) {
                    KubernetesModel.problems(o.at("/spec/jobManager/podTemplate"), Pod.class)
                            .forEach(p -> problems.add(id + "jobManager.podTemplate " + p));
                }
                JobArgs.of(o).keySet().stream().filter(k -> !JobArgs.jobKnows(k))
                        .forEach(k -> problems.add(id + "job option --" + k + " is not a RecolensOptions key"));
            } else if (kind.equals("PodMonitor")) {
                assertThat(o.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
            } else if (kind.equals("PrometheusRule")) {
                assertThat(o.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
                for (JsonNode rule : o.at("/spec/groups/0/rules")) {
                    for (String field : List.of("alert", "expr", "labels")) {
                        if (!rule.has(field)) problems.add(id + "rule without " + field + ": " + rule);
                    }
                }
            } else if (KubernetesModel.isCoreKind(o)) {
                KubernetesModel.problems(o).forEach(p -> problems.add(id + p));
            } else {
                problems.add(id + "a kind this test does not check: add its check");
            }
        }
        assertThat(problems).as("rendered with %s:\n%s", valueSet.isEmpty() ? "defaults" : valueSet, r.text).isEmpty();
    }

    @Test
    void defaultsDeployTheStreamingPipelineThroughTheOperator() {
        HelmChart.Rendered r = HelmChart.template();
        assertThat(r.objects).extracting(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("FlinkDeployment/recolens", "ServiceAccount/recolens", "Role/recolens-flink",
                        "RoleBinding/recolens-flink");

        JsonNode spec = r.get("FlinkDeployment", FULLNAME).path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_1");
        assertThat(spec.path("image").asText()).isEqualTo("recolens/recolens-job:" + ChartVersionsTest.projectVersion());
        assertThat(spec.path("serviceAccount").asText()).isEqualTo("recolens");
        assertThat(spec.at("/job/jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/recolens-job.jar");
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo("io.recolens.jobs.RecolensJob");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/state").asText()).isEqualTo("running");
        assertThat(spec.at("/job/parallelism").asInt()).isEqualTo(2);
        assertThat(spec.at("/job").has("initialSavepointPath")).isFalse();

        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.dir").asText()).isEqualTo("s3://recolens-flink/checkpoints");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).isEqualTo("s3://recolens-flink/savepoints");
        assertThat(conf.path("execution.checkpointing.externalized-checkpoint-retention").asText()).isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).isEqualTo("s3://recolens-flink/ha");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.path("metrics.reporter.prom.port").asText()).isEqualTo("9249");
        assertThat(conf.path("taskmanager.numberOfTaskSlots").asText()).isEqualTo("2");
        // The image's env.java.opts.all stays: the chart sets no JVM options.
        assertThat(conf.has("env.java.opts.all")).isFalse();

        assertThat(JobArgs.of(r.get("FlinkDeployment", FULLNAME))).containsExactly(
                Map.entry("mode", "streaming"),
                Map.entry("catalog.namespace", "recolens"),
                Map.entry("catalog.type", "rest"),
                Map.entry("catalog.uri", "http://iceberg-rest:8181"),
                Map.entry("catalog.warehouse", "s3://recolens-warehouse/warehouse"),
                Map.entry("kafka.bootstrap-servers", "kafka:9092"),
                Map.entry("kafka.group-id", "recolens"),
                Map.entry("restore.require-state", "false"));
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithTheHmacKeyFromTheSecret() {
        JsonNode pod = HelmChart.template().get("FlinkDeployment", FULLNAME).at("/spec/podTemplate/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(9999);
        JsonNode container = pod.at("/containers/0");
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(container.at("/volumeMounts").findValuesAsText("mountPath")).containsExactly("/tmp", "/opt/flink/log");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(9249);

        JsonNode env = container.at("/env/0");
        assertThat(env.path("name").asText()).isEqualTo("RECOLENS_UNIT_KEY_SECRET");
        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("recolens");
        assertThat(env.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("unit-key-secret");
        assertThat(env.has("value")).as("no literal secret value").isFalse();
    }

    @Test
    void roleLetsTheJobManagerManageTaskManagerPodsAndHaConfigMaps() {
        HelmChart.Rendered r = HelmChart.template();
        JsonNode rule = r.get("Role", "recolens-flink").at("/rules/0");
        assertThat(rule.path("resources").toString()).contains("pods", "configmaps");
        assertThat(rule.path("verbs").toString()).contains("create", "delete", "watch");
        JsonNode binding = r.get("RoleBinding", "recolens-flink");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("recolens");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo("recolens-flink");
    }

    @Test
    void lastStateSetOverridesFlinkConfigurationAndCarriesThePeriodicSavepoints() {
        HelmChart.Rendered r = HelmChart.template("last-state.yaml");
        JsonNode spec = r.get("FlinkDeployment", FULLNAME).path("spec");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("last-state");
        assertThat(spec.at("/job/initialSavepointPath").asText()).startsWith("s3://recolens-flink/savepoints/");
        assertThat(spec.at("/job/allowNonRestoredState").asBoolean()).isTrue();
        assertThat(spec.at("/jobManager/replicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/taskManager/resource/memory").asText()).isEqualTo("16Gi");
        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("state.backend.incremental").asText()).as("flink.configuration wins").isEqualTo("false");
        assertThat(conf.path("kubernetes.operator.periodic.savepoint.interval").asText()).isEqualTo("6 h");
        assertThat(conf.path("taskmanager.numberOfTaskSlots").asText()).isEqualTo("4");
        assertThat(JobArgs.of(r.get("FlinkDeployment", FULLNAME)))
                .containsEntry("checkpoint.interval", "1 min").containsEntry("sink.parallelism", "2");
        assertThat(spec.at("/podTemplate/metadata/labels/team").asText()).isEqualTo("experimentation");
        assertThat(spec.at("/podTemplate/spec/tolerations/0/key").asText()).isEqualTo("dedicated");
    }

    @Test
    void secretsSetMapsCredentialsFromTheSecretOnlyAndPassesThePropertiesFileFirst() {
        HelmChart.Rendered r = HelmChart.template("secrets.yaml");
        assertThat(r.ofKind("ServiceAccount")).as("an existing ServiceAccount is used, not created").isEmpty();
        assertThat(r.ofKind("Role")).isEmpty();
        JsonNode spec = r.get("FlinkDeployment", FULLNAME).path("spec");
        assertThat(spec.path("serviceAccount").asText()).isEqualTo("flink");
        assertThat(spec.path("image").asText()).isEqualTo("registry.example.com/analytics/recolens-job:0.1.0-rc1");
        assertThat(spec.at("/podTemplate/spec/imagePullSecrets/0/name").asText()).isEqualTo("registry-credentials");

        JsonNode env = spec.at("/podTemplate/spec/containers/0/env");
        assertThat(env).extracting(e -> e.path("name").asText())
                .containsExactly("RECOLENS_UNIT_KEY_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        assertThat(env).extracting(e -> e.at("/valueFrom/secretKeyRef/key").asText())
                .containsExactly("hmac-key", "s3-access-key-id", "s3-secret-access-key");
        for (JsonNode e : env) {
            assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("recolens-prod");
        }

        JsonNode jm = spec.at("/jobManager/podTemplate/spec");
        assertThat(jm.at("/volumes/0/secret/secretName").asText()).isEqualTo("recolens-prod");
        assertThat(jm.at("/volumes/0/secret/items/0/key").asText()).isEqualTo("catalog.properties");
        assertThat(jm.at("/containers/0/volumeMounts/0/readOnly").asBoolean()).isTrue();
        assertThat(spec.at("/taskManager").has("podTemplate")).as("the file is mounted where main() runs only").isFalse();

        JsonNode args = spec.at("/job/args");
        assertThat(args.get(0).asText()).isEqualTo("--config");
        assertThat(args.get(1).asText()).isEqualTo("/opt/recolens/secrets/job-secrets.properties");
        assertThat(JobArgs.of(r.get("FlinkDeployment", FULLNAME)))
                .containsEntry("kafka.properties.security.protocol", "SASL_SSL")
                .containsEntry("catalog.type", "jdbc");
    }

    @Test
    void backfillIsABatchRunOverTheRangeWithoutHaOrCheckpoints() {
        HelmChart.Rendered r = HelmChart.template("backfill.yaml");
        assertThat(r.find("FlinkDeployment", FULLNAME)).as("streaming disabled").isEmpty();
        JsonNode backfill = r.get("FlinkDeployment", FULLNAME + "-backfill");
        JsonNode spec = backfill.path("spec");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("stateless");
        assertThat(spec.at("/job/parallelism").asInt()).isEqualTo(4);
        assertThat(spec.path("flinkConfiguration").has("high-availability.type")).isFalse();
        assertThat(spec.path("flinkConfiguration").has("execution.checkpointing.dir")).isFalse();
        long from = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
        assertThat(JobArgs.of(backfill))
                .containsEntry("mode", "batch")
                .containsEntry("kafka.starting-offsets", "timestamp:" + from)
                .containsEntry("kafka.stopping-offsets", "timestamp:" + to)
                .containsEntry("catalog.namespace", "recolens_backfill")
                .containsEntry("kafka.group-id", "recolens-backfill")
                .doesNotContainKey("restore.require-state");
    }

    @Test
    void podMonitorScrapesTheNamedMetricsPortOfTheReleasePods() {
        HelmChart.Rendered r = HelmChart.template("monitoring.yaml");
        JsonNode pm = r.get("PodMonitor", FULLNAME);
        assertThat(pm.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(pm.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(pm.at("/spec/podMetricsEndpoints/0/interval").asText()).isEqualTo("15s");
        for (JsonNode fd : r.ofKind("FlinkDeployment")) {
            JsonNode podLabels = fd.at("/spec/podTemplate/metadata/labels");
            pm.at("/spec/selector/matchLabels").fields().forEachRemaining(
                    l -> assertThat(podLabels.path(l.getKey()).asText()).as("pod label %s", l.getKey()).isEqualTo(l.getValue().asText()));
            assertThat(fd.at("/spec/podTemplate/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(9250);
            assertThat(fd.at("/spec/flinkConfiguration/metrics.reporter.prom.port").asText()).isEqualTo("9250");
        }
        assertThat(r.ofKind("FlinkDeployment")).hasSize(2);
    }

    @Test
    void prometheusRuleIsOffByDefaultAndCarriesTheThresholdsOfItsValues() {
        assertThat(HelmChart.template().ofKind("PrometheusRule")).isEmpty();
        assertThat(HelmChart.template("monitoring.yaml").ofKind("PrometheusRule")).isEmpty();
        JsonNode rule = HelmChart.template("alerts.yaml").get("PrometheusRule", FULLNAME);
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        Map<String, JsonNode> alerts = new java.util.TreeMap<>();
        rule.at("/spec/groups/0/rules").forEach(r -> alerts.put(r.path("alert").asText(), r));
        assertThat(alerts).containsOnlyKeys("RecolensDeadLettersHigh", "RecolensAnomaliesHigh", "RecolensLateRecordsHigh",
                "RecolensCheckpointsFailing", "RecolensConsumerLagHigh", "RecolensNoIcebergCommit");
        String sel = "{namespace=\"analytics\", job_name=\"recolens streaming\"}";
        assertThat(alerts.get("RecolensDeadLettersHigh").path("expr").asText())
                .isEqualTo("sum by (namespace, job_name, decoder) (rate({__name__=~\"flink_taskmanager_job_task_operator_(deserializer_)?decoder_deadLetters\", "
                        + sel.substring(1) + "[5m])) > 0.5");
        assertThat(alerts.get("RecolensAnomaliesHigh").path("expr").asText()).contains("by (namespace, job_name, kind)").endsWith(" > 2");
        assertThat(alerts.get("RecolensLateRecordsHigh").path("expr").asText()).contains("lateRecordsDropped" + sel).endsWith(" > 3");
        assertThat(alerts.get("RecolensCheckpointsFailing").path("expr").asText())
                .isEqualTo("increase(flink_jobmanager_job_numberOfFailedCheckpoints" + sel + "[15m]) >= 2");
        assertThat(alerts.get("RecolensConsumerLagHigh").path("expr").asText()).contains("pendingRecords" + sel).endsWith(" > 50000");
        // 5 intervals of 60 s.
        assertThat(alerts.get("RecolensNoIcebergCommit").path("expr").asText())
                .contains("by (namespace, job_name, table)", "elapsedSecondsSinceLastSuccessfulCommit" + sel).endsWith(" > 300");
        alerts.values().forEach(a -> {
            assertThat(a.at("/labels/severity").asText()).isEqualTo("page");
            // Braces balance: the selector template must not leave a stray one.
            String expr = a.path("expr").asText();
            assertThat(expr.chars().filter(c -> c == '{').count()).as(expr).isEqualTo(expr.chars().filter(c -> c == '}').count()).isEqualTo(1);
        });
        assertThat(alerts.get("RecolensDeadLettersHigh").path("for").asText()).isEqualTo("5m");
        assertThat(alerts.get("RecolensDeadLettersHigh").at("/annotations/summary").asText()).contains("{{ $labels.decoder }}");
    }

    @Test
    void minimalSetHasNoHaAndNoMetrics() {
        JsonNode spec = HelmChart.template("minimal.yaml").get("FlinkDeployment", FULLNAME).path("spec");
        assertThat(spec.path("flinkConfiguration").has("high-availability.type")).isFalse();
        assertThat(spec.path("flinkConfiguration").has("metrics.reporter.prom.factory.class")).isFalse();
        assertThat(spec.at("/podTemplate/spec/containers/0").has("ports")).isFalse();
        assertThat(spec.at("/jobManager/resource/cpu").asDouble()).isEqualTo(0.5);
    }
}
