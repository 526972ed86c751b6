package dev.kompact.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart in deploy/helm/kompact, rendered by a real Helm (helm-java) as release "kompact" in namespace "kompact". */
final class Chart {

    static final String RELEASE = "kompact";
    static final String NAMESPACE = "kompact";
    static final Path DIR = locate();

    private final Map<String, String> values = new LinkedHashMap<>();

    static Chart withDefaults() {
        return new Chart();
    }

    Chart set(String key, String value) {
        values.put(key, value);
        return this;
    }

    Map<String, String> values() {
        return values;
    }

    /** Helm's output, or Helm's error (a failed template, a value the schema rejects) as an IllegalStateException. */
    String yaml() {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return template.call();
    }

    List<HasMetadata> render() {
        return StrictManifests.parse(yaml());
    }

    static <T extends HasMetadata> T only(List<HasMetadata> manifests, Class<T> type) {
        List<T> found = all(manifests, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> manifests, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (HasMetadata m : manifests) {
            if (type.isInstance(m)) {
                found.add(type.cast(m));
            }
        }
        return found;
    }

    static <T extends HasMetadata> Optional<T> named(List<HasMetadata> manifests, Class<T> type, String name) {
        return all(manifests, type).stream()
                .filter(m -> name.equals(m.getMetadata().getName()))
                .findFirst();
    }

    /** Tests run in deploy/ under Maven, or from the repository root in an IDE. */
    private static Path locate() {
        for (Path candidate : List.of(Path.of("helm/kompact"), Path.of("deploy/helm/kompact"))) {
            if (Files.isRegularFile(candidate.resolve("Chart.yaml"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(
                "deploy/helm/kompact/Chart.yaml not found from " + Path.of("").toAbsolutePath());
    }
}
