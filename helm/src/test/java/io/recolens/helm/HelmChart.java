package io.recolens.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lints and renders the chart with helm (native library through helm-java) and parses what it renders. */
final class HelmChart {
    static final String RELEASE = "recolens";
    static final String NAMESPACE = "analytics";
    static final ObjectMapper YAML = new YAMLMapper();

    private HelmChart() {}

    static Path chartDir() {
        return Path.of(System.getProperty("recolens.chart.dir", "recolens")).toAbsolutePath().normalize();
    }

    static Path repoDir() {
        return Path.of(System.getProperty("recolens.repo.dir", "..")).toAbsolutePath().normalize();
    }

    static Path valuesFile(String name) {
        return chartDir().getParent().resolve("src/test/resources/values").resolve(name);
    }

    static LintResult lint() {
        return new Helm(chartDir()).lint().strict().call();
    }

    /** Renders with the given values files (later ones win) and --set pairs; helm's error propagates. */
    static Rendered template(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand cmd = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path f : valuesFiles) {
            cmd = cmd.withValuesFile(f);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            cmd = cmd.set(e.getKey(), e.getValue());
        }
        return new Rendered(cmd.call());
    }

    static Rendered template(String... valuesFiles) {
        List<Path> files = new ArrayList<>();
        for (String f : valuesFiles) {
            files.add(valuesFile(f));
        }
        return template(files, Map.of());
    }

    /** Writes a values file under target/ for a test that needs one made on the spot. */
    static Path writeValues(String name, String yaml) {
        try {
            Path dir = Path.of(System.getProperty("recolens.test.dir", "target/helm-test"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one `helm template` run. */
    static final class Rendered {
        final String text;
        final List<JsonNode> objects = new ArrayList<>();

        Rendered(String text) {
            this.text = text;
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(text))) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && !node.isNull() && !node.isMissingNode()) {
                        objects.add(node);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("helm rendered YAML that does not parse:\n" + text, e);
            }
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
        }

        JsonNode get(String kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + text));
        }
    }
}
