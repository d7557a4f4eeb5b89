package dev.doublelock.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small structural JSON Schema (2020-12) checker for the keywords docs/check-json-schema.json uses: type,
 * enum, required, properties, additionalProperties, items, $ref (local), oneOf, minimum, maximum, pattern.
 * Anything else in the schema is an error here, so the schema cannot silently outgrow this checker.
 */
public final class JsonSchemaCheck {
    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description", "type", "enum", "required",
            "properties", "additionalProperties", "items", "$ref", "oneOf", "minimum", "maximum", "pattern", "format", "$defs");
    private final JsonNode root;

    public JsonSchemaCheck(JsonNode root) {
        this.root = root;
    }

    public static JsonSchemaCheck committed() throws Exception {
        Path p = Path.of("docs/check-json-schema.json");
        return new JsonSchemaCheck(new ObjectMapper().readTree(Files.readString(p)));
    }

    /** The violations, empty if {@code value} conforms. */
    public List<String> violations(JsonNode value) {
        List<String> out = new ArrayList<>();
        check(root, value, "$", out);
        return out;
    }

    private void check(JsonNode schema, JsonNode v, String path, List<String> out) {
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) throw new IllegalStateException("schema keyword '" + k + "' is not supported at " + path);
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) throw new IllegalStateException("only local $refs: " + ref);
            check(root.get("$defs").get(ref.substring("#/$defs/".length())), v, path, out);
        }
        if (schema.has("oneOf")) {
            int ok = 0;
            for (JsonNode alt : schema.get("oneOf")) {
                List<String> sub = new ArrayList<>();
                check(alt, v, path, sub);
                if (sub.isEmpty()) ok++;
            }
            if (ok != 1) out.add(path + ": matches " + ok + " of the oneOf alternatives");
        }
        if (schema.has("type") && !typeOk(schema.get("type"), v)) {
            out.add(path + ": expected type " + schema.get("type") + ", got " + v.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.equals(v);
            if (!found) out.add(path + ": " + v + " is not one of " + schema.get("enum"));
        }
        if (schema.has("minimum") && v.isNumber() && v.asLong() < schema.get("minimum").asLong()) out.add(path + ": below minimum");
        if (schema.has("maximum") && v.isNumber() && v.asLong() > schema.get("maximum").asLong()) out.add(path + ": above maximum");
        if (schema.has("pattern") && v.isTextual() && !java.util.regex.Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
            out.add(path + ": '" + v.asText() + "' does not match " + schema.get("pattern"));
        }
        if (v.isObject()) object(schema, v, path, out);
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) check(schema.get("items"), v.get(i), path + "[" + i + "]", out);
        }
    }

    private void object(JsonNode schema, JsonNode v, String path, List<String> out) {
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!v.has(r.asText())) out.add(path + ": missing required '" + r.asText() + "'");
            }
        }
        JsonNode props = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path + "." + e.getKey();
            if (props != null && props.has(e.getKey())) {
                check(props.get(e.getKey()), e.getValue(), p, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                out.add(p + ": not in the schema");
            } else if (additional != null && additional.isObject()) {
                check(additional, e.getValue(), p, out);
            }
        }
    }

    private static boolean typeOk(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeOk(t, v)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalStateException("unknown type " + type);
        };
    }
}
