package dev.sentinel.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Raw configuration values by variable name: the environment over an optional YAML file
 * ({@code SENTINEL_CONFIG}) holding the same names. Typed reading and validation live in
 * {@link SentinelConfig}; this class only knows where a value came from.
 */
final class Settings {

    /** The settings that take a comma-separated list, and so a YAML list. */
    private static final Set<String> LIST_NAMES = Set.of("TRUSTED_PROXY_IPS",
            "BIND_EXEMPT_PATHS");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads the YAML file named by {@code SENTINEL_CONFIG} in {@code environment}, if any,
     * and lays the environment over it.
     */
    static Settings load(Map<String, String> environment, Set<String> knownNames) {
        Map<String, String> merged = new TreeMap<>();
        String file = environment.get("SENTINEL_CONFIG");
        if (file != null && !file.isBlank()) {
            merged.putAll(readYaml(Path.of(file.strip()), knownNames));
        }
        for (String name : knownNames) {
            String value = environment.get(name);
            if (value != null) {
                merged.put(name, value);
            }
        }
        return new Settings(merged);
    }

    Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static Map<String, String> readYaml(Path path, Set<String> knownNames) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ConfigException("SENTINEL_CONFIG='" + path + "' cannot be read ("
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())
                    + "): expected a readable YAML file of NAME: value settings");
        }
        Map<String, String> result = new TreeMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return result;
        }
        if (!root.isObject()) {
            throw new ConfigException("SENTINEL_CONFIG='" + path + "' is not a YAML mapping: "
                    + "expected NAME: value lines such as DOWNSTREAM_URL: http://new-api:3000");
        }
        var fields = root.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey().strip().toUpperCase(Locale.ROOT).replace('.', '_')
                    .replace('-', '_');
            if (!knownNames.contains(name)) {
                throw new ConfigException("SENTINEL_CONFIG='" + path + "' has an unknown "
                        + "setting '" + field.getKey() + "': expected one of the variables "
                        + "listed in the README");
            }
            if (field.getValue().isArray() && !LIST_NAMES.contains(name)) {
                throw new ConfigException("SENTINEL_CONFIG='" + path + "' sets " + name
                        + " to a list: expected a single value");
            }
            result.put(name, scalarText(field.getValue(), name, path));
        }
        return result;
    }

    private static String scalarText(JsonNode node, String name, Path path) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(scalarText(item, name, path));
            }
            return String.join(",", items);
        }
        if (node.isValueNode()) {
            return node.isNull() ? "" : node.asText();
        }
        throw new ConfigException("SENTINEL_CONFIG='" + path + "' sets " + name + " to a "
                + "mapping: expected a value or a list");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
