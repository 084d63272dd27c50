package dev.sentinel.app.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /metrics}, read back as samples by name and labels. */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    private final String text;
    private final List<Sample> samples;

    private Scrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Reads Prometheus text format. */
    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Scrape(text, List.copyOf(samples));
    }

    /**
     * Returns the value of the sample with this name whose labels include the given ones,
     * or 0 when there is none.
     *
     * @param name the sample name, such as {@code sentinel_requests_total}
     * @param labels {@code name=value} pairs
     */
    public double value(String name, String... labels) {
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.has(labels)) {
                return sample.value();
            }
        }
        return 0;
    }

    /** Returns whether a sample with this name and labels exists. */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && s.has(labels));
    }

    /** Returns the scraped text. */
    public String text() {
        return text;
    }

    private record Sample(String name, Map<String, String> labels, double value) {
        boolean has(String... pairs) {
            for (String pair : pairs) {
                int equals = pair.indexOf('=');
                if (!pair.substring(equals + 1).equals(labels.get(pair.substring(0, equals)))) {
                    return false;
                }
            }
            return true;
        }
    }
}
