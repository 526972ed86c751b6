package dev.kompact.optimizer.snapshot;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a {@code ClusterSnapshot} JSON document into the model. Structure is Jackson's job; an unknown field is
 * recorded and skipped rather than fatal, so that one run names every problem a document has.
 */
public final class SnapshotReader {

    private final InstanceCatalog catalog;

    public SnapshotReader(InstanceCatalog catalog) {
        this.catalog = catalog;
    }

    public ClusterSnapshot read(Path file) throws IOException, InvalidSnapshotException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a snapshot file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such snapshot file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public ClusterSnapshot read(InputStream in, String source) throws IOException, InvalidSnapshotException {
        List<SnapshotProblem> problems = new ArrayList<>();
        SnapshotDocument document;
        ObjectMapper mapper = mapper(problems);
        try (JsonParser parser = mapper.createParser(in)) {
            if (parser.nextToken() == null) {
                throw new InvalidSnapshotException(
                        source,
                        List.of(new SnapshotProblem("", "the file is empty: expected a ClusterSnapshot object")));
            }
            document = mapper.readValue(parser, SnapshotDocument.class);
        } catch (JsonParseException e) {
            throw new InvalidSnapshotException(
                    source,
                    List.of(new SnapshotProblem(
                            "", "not valid JSON " + at(e.getLocation()) + ": " + e.getOriginalMessage())));
        } catch (JsonMappingException e) {
            problems.add(new SnapshotProblem(JsonPaths.of(e.getPath()), describe(e)));
            throw new InvalidSnapshotException(source, problems);
        }
        if (document == null) {
            throw new InvalidSnapshotException(source, List.of(new SnapshotProblem("", "the document is empty")));
        }
        return validate(document, source, problems);
    }

    /** A document built in memory (from a live cluster, say) is held to the rules a file is, without JSON between. */
    public ClusterSnapshot read(SnapshotDocument document, String source) throws InvalidSnapshotException {
        return validate(document, source, new ArrayList<>());
    }

    /** @param problems those found while parsing, which validation adds to */
    private ClusterSnapshot validate(SnapshotDocument document, String source, List<SnapshotProblem> problems)
            throws InvalidSnapshotException {
        ProblemSubjects subjects = new ProblemSubjects(document);
        return new SnapshotValidator(catalog, problems)
                .validate(document)
                .orElseThrow(() -> new InvalidSnapshotException(source, subjects.named(problems)));
    }

    private static ObjectMapper mapper(List<SnapshotProblem> problems) {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // a key given twice would otherwise be read as its last value, silently
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addHandler(new DeserializationProblemHandler() {
                    @Override
                    public boolean handleUnknownProperty(
                            DeserializationContext ctxt,
                            JsonParser p,
                            JsonDeserializer<?> deserializer,
                            Object beanOrClass,
                            String propertyName)
                            throws IOException {
                        problems.add(new SnapshotProblem(
                                JsonPaths.ofUnknownField(p, propertyName),
                                "unknown field"
                                        + FieldSuggestion.nearest(propertyName, deserializer.getKnownPropertyNames())
                                                .map(known -> ", did you mean \"" + known + "\"?")
                                                .orElse("")));
                        p.skipChildren();
                        return true;
                    }
                })
                .build();
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "expected " + kindOf(mismatch.getTargetType()) + " " + at(e.getLocation());
        }
        String message = e.getOriginalMessage();
        int detail = message.indexOf(" at [Source");
        return (detail > 0 ? message.substring(0, detail) : message) + " " + at(e.getLocation());
    }

    private static String kindOf(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
