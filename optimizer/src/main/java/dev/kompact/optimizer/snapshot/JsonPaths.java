package dev.kompact.optimizer.snapshot;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Renders Jackson's notion of "where" as the paths users write: {@code pods[3].labels.app}. */
final class JsonPaths {

    private JsonPaths() {}

    static String of(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                appendField(path, reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The path of the value the parser is at, ending in {@code field}. */
    static String of(JsonStreamContext context, String field) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c != context && c.getCurrentName() != null) {
                parts.push(field(c.getCurrentName()));
            }
        }
        StringBuilder path = new StringBuilder(String.join("", parts));
        appendField(path, field);
        return path.toString().replaceFirst("^\\.", "");
    }

    static void appendField(StringBuilder path, String name) {
        if (path.length() > 0) {
            path.append('.');
        }
        path.append(name);
    }

    private static String field(String name) {
        return "." + name;
    }
}
