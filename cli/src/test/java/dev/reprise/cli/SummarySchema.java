package dev.reprise.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a summary.json against the documented schema docs/summary.schema.json: every field is
 * documented (no undocumented property where the schema closes an object), required fields are there,
 * and values have the documented JSON type. The subset of JSON Schema that file uses (type, const,
 * enum, properties, required, additionalProperties, items), not a general validator.
 */
final class SummarySchema {
    private SummarySchema() {
    }

    static JsonObject schema() throws IOException {
        // tests run in cli/; the docs live at the top of the checkout
        Path file = Path.of("..", "docs", "summary.schema.json");
        return new JsonObject(Files.readString(file));
    }

    static List<String> violations(JsonObject summary) throws IOException {
        List<String> out = new ArrayList<>();
        check(schema(), summary, "$", out);
        return out;
    }

    private static void check(JsonObject schema, Object value, String path, List<String> out) {
        Object type = schema.getValue("type");
        if (type != null && !typeMatches(type, value)) {
            out.add(path + ": expected " + type + ", found " + (value == null ? "null" : value.getClass().getSimpleName()));
            return;
        }
        if (schema.containsKey("const") && !schema.getValue("const").equals(value)) {
            out.add(path + ": expected " + schema.getValue("const") + ", found " + value);
        }
        if (schema.containsKey("enum") && !schema.getJsonArray("enum").contains(value)) {
            out.add(path + ": " + value + " is not one of " + schema.getJsonArray("enum"));
        }
        if (value instanceof JsonObject object) {
            JsonObject properties = schema.getJsonObject("properties", new JsonObject());
            for (Object required : schema.getJsonArray("required", new JsonArray())) {
                if (!object.containsKey((String) required)) {
                    out.add(path + ": required field " + required + " missing");
                }
            }
            Object additional = schema.getValue("additionalProperties");
            for (String key : object.fieldNames()) {
                if (properties.containsKey(key)) {
                    check(properties.getJsonObject(key), object.getValue(key), path + "." + key, out);
                } else if (Boolean.FALSE.equals(additional)) {
                    out.add(path + "." + key + ": not documented in the schema");
                } else if (additional instanceof JsonObject each) {
                    check(each, object.getValue(key), path + "." + key, out);
                }
            }
        }
        if (value instanceof JsonArray array && schema.getJsonObject("items") != null) {
            for (int i = 0; i < array.size(); i++) {
                check(schema.getJsonObject("items"), array.getValue(i), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean typeMatches(Object type, Object value) {
        if (type instanceof JsonArray types) {
            return types.stream().anyMatch(t -> typeMatches(t, value));
        }
        return switch ((String) type) {
            case "null" -> value == null;
            case "object" -> value instanceof JsonObject;
            case "array" -> value instanceof JsonArray;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> value instanceof Integer || value instanceof Long;
            case "number" -> value instanceof Number;
            default -> throw new IllegalArgumentException("schema type " + type + " not supported by this check");
        };
    }
}
