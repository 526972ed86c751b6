package dev.kompact.optimizer.snapshot;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.util.TokenBufferReadContext;
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

    /**
     * The path of an unknown {@code field} the parser has just met. The object holding it is found first: the
     * parser may already have entered the field's value, and Jackson replays a record's fields from a token buffer
     * once its creator can run, so the contexts nearest the parser are the value's and the replay's, and the
     * holder's own current name is then whichever field was read last, not this one.
     */
    static String ofUnknownField(JsonParser parser, String field) {
        JsonStreamContext holder = parser.getParsingContext();
        if (parser.currentToken() != null && parser.currentToken().isStructStart()) {
            holder = holder.getParent();
        }
        while (holder instanceof TokenBufferReadContext) {
            holder = holder.getParent();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = holder; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c != holder && c.getCurrentName() != null) {
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
