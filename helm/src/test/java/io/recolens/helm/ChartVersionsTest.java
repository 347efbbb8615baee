package io.recolens.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The Dockerfile and Chart.yaml name the versions the parent pom pins (Flink, project) and the jar the chart runs. */
class ChartVersionsTest {

    static Document parentPom() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(HelmChart.repoDir().resolve("pom.xml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the parent pom", e);
        }
    }

    static String projectVersion() {
        return directChild(parentPom().getDocumentElement(), "version");
    }

    static String pomProperty(String name) {
        Element props = (Element) parentPom().getDocumentElement().getElementsByTagName("properties").item(0);
        return directChild(props, name);
    }

    private static String directChild(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new IllegalStateException("no <" + name + "> under <" + parent.getTagName() + ">");
    }

    /** Dockerfile lines with continuations joined and ARG defaults substituted into ${NAME}. */
    static List<String> dockerfile() throws IOException {
        String text = Files.readString(HelmChart.repoDir().resolve("Dockerfile")).replace("\\\n", " ");
        Map<String, String> args = new LinkedHashMap<>();
        Pattern arg = Pattern.compile("^ARG\\s+(\\w+)=(\\S+)$");
        Pattern ref = Pattern.compile("\\$\\{(\\w+)}");
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> {
            Matcher m = ref.matcher(l);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(sb);
            String line = sb.toString();
            Matcher a = arg.matcher(line);
            if (a.matches()) {
                args.put(a.group(1), a.group(2));
            }
            return line;
        }).toList();
    }

    @Test
    void dockerfileBuildsOnTheOfficialFlinkImageOfThePomsFlinkVersion() throws IOException {
        String flink = pomProperty("flink.version");
        List<String> lines = dockerfile();
        assertThat(lines).filteredOn(l -> l.startsWith("FROM ")).containsExactly("FROM flink:" + flink + "-java17");
        assertThat(lines).contains("ARG FLINK_VERSION=" + flink);
        assertThat(lines).filteredOn(l -> l.startsWith("RUN ")).singleElement().asString()
                .contains("opt/flink-s3-fs-hadoop-" + flink + ".jar", "opt/flink-metrics-prometheus-" + flink + ".jar");
    }

    @Test
    void dockerfileCopiesTheShadedJobJarOfThisVersionToTheChartsJarUri() throws IOException {
        String jar = "jobs/target/recolens-jobs-" + projectVersion() + "-job.jar";
        List<String> copies = dockerfile().stream().filter(l -> l.startsWith("COPY ")).toList();
        assertThat(copies).singleElement().asString()
                .endsWith(" " + jar + " /opt/flink/usrlib/recolens-job.jar");
        JsonNode fd = HelmChart.template().get("FlinkDeployment", "recolens");
        assertThat(fd.at("/spec/job/jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/recolens-job.jar");
        assertThat(dockerfile()).contains("ARG RECOLENS_VERSION=" + projectVersion());
        assertThat(dockerfile()).filteredOn(l -> l.startsWith("USER ")).containsExactly(
                "USER " + fd.at("/spec/podTemplate/spec/securityContext/runAsUser").asInt() + ":"
                        + fd.at("/spec/podTemplate/spec/securityContext/runAsGroup").asInt());
    }

    @Test
    void jobsModuleBuildsTheJarTheDockerfileCopies() throws Exception {
        Path jobsPom = HelmChart.repoDir().resolve("jobs/pom.xml");
        String text = Files.readString(jobsPom);
        assertThat(text).contains("<artifactId>recolens-jobs</artifactId>", "<shadedClassifierName>job</shadedClassifierName>",
                "<mainClass>io.recolens.jobs.RecolensJob</mainClass>");
    }

    @Test
    void chartVersionsFollowTheProjectVersion() throws IOException {
        JsonNode chart = HelmChart.YAML.readTree(HelmChart.chartDir().resolve("Chart.yaml").toFile());
        assertThat(chart.path("appVersion").asText()).isEqualTo(projectVersion());
        assertThat(chart.path("version").asText()).isEqualTo(projectVersion());
    }
}
