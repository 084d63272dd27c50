package dev.sentinel.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.adapters.admin.SettingsNotices;
import dev.sentinel.app.settings.EffectiveSettings;
import dev.sentinel.app.settings.SettingField;
import dev.sentinel.app.settings.SettingsSync;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The live settings: read them with their sources, change several at once, or reset one to
 * the environment's value. A change is in force on this replica before the answer, and is
 * announced so every other replica reloads at once (or within its timer's period, should
 * the announcement be lost).
 *
 * <p>Thread-safe.
 */
final class SettingsEndpoints {

    private static final System.Logger LOG = System.getLogger(SettingsEndpoints.class.getName());

    private final SettingsSync sync;
    private final SettingsNotices notices;
    private final EffectiveSettings environment;

    SettingsEndpoints(SettingsSync sync, SettingsNotices notices, EffectiveSettings environment) {
        this.sync = sync;
        this.notices = notices;
        this.environment = environment;
    }

    /**
     * One setting as the API shows it.
     *
     * @param value the value in force
     * @param source {@code environment} or {@code admin}
     * @param environmentValue what the environment gives, in force again after a reset
     * @param variable the configuration variable
     * @param expected what a valid value looks like
     */
    record SettingView(Object value, String source, Object environmentValue, String variable,
            String expected) {
    }

    record SettingsView(Map<String, SettingView> settings) {
    }

    void show(AdminExchange exchange) {
        exchange.query(Set.of());
        exchange.json(200, view(sync.snapshot()));
    }

    void change(AdminExchange exchange) {
        exchange.query(Set.of());
        ObjectNode body = exchange.body();
        if (body.isEmpty()) {
            throw AdminProblem.badRequest("invalid_request", "the body names no setting: "
                    + "expected one or more of " + names());
        }
        Map<SettingField, String> changes = new EnumMap<>(SettingField.class);
        body.fields().forEachRemaining(entry -> {
            SettingField field = SettingField.byApiName(entry.getKey()).orElseThrow(() ->
                    AdminProblem.badRequest("unknown_setting", "setting '"
                            + AdminJson.shorten(entry.getKey()) + "' is unknown: expected one "
                            + "of " + names()));
            changes.put(field, text(field, entry.getValue()));
        });
        SettingsSync.Snapshot after;
        try {
            after = sync.change(changes, exchange.actor());
        } catch (IllegalArgumentException e) {
            throw AdminProblem.badRequest("invalid_setting", e.getMessage());
        }
        notices.announce();
        LOG.log(Level.INFO, "admin action=settings.changed settings={0} ip={1}",
                String.join(",", changes.keySet().stream().map(SettingField::apiName)
                        .toList()), exchange.actor().address().toString());
        exchange.json(200, view(after));
    }

    void reset(AdminExchange exchange) {
        exchange.query(Set.of());
        String name = exchange.pathParameter("name");
        SettingField field = SettingField.byApiName(name).orElseThrow(() ->
                AdminProblem.notFound("setting '" + AdminJson.shorten(name) + "' is unknown: "
                        + "expected one of " + names()));
        SettingsSync.Snapshot after = sync.reset(field, exchange.actor());
        notices.announce();
        LOG.log(Level.INFO, "admin action=settings.reset setting={0} ip={1}", field.apiName(),
                exchange.actor().address().toString());
        exchange.json(200, view(after));
    }

    private SettingsView view(SettingsSync.Snapshot snapshot) {
        Map<String, SettingView> settings = new LinkedHashMap<>();
        for (SettingField field : SettingField.values()) {
            settings.put(field.apiName(), new SettingView(field.value(snapshot.settings()),
                    snapshot.sources().get(field).value(), field.value(environment),
                    field.variable(), field.expected()));
        }
        return new SettingsView(settings);
    }

    /** Turns a JSON value into the text the environment would hold, checking its type. */
    private static String text(SettingField field, JsonNode value) {
        boolean fits = switch (field.kind()) {
            case NUMBER -> value.isIntegralNumber() && value.canConvertToLong();
            case TEXT -> value.isTextual();
            case OPTIONAL_TEXT -> value.isTextual() || value.isNull();
        };
        if (!fits) {
            throw AdminProblem.badRequest("invalid_setting", field.apiName() + "="
                    + AdminJson.shorten(value.toString()) + " is " + AdminJson.typeOf(value)
                    + ": expected " + field.expected());
        }
        if (value.isNull()) {
            return "";
        }
        return value.isTextual() ? value.asText().strip() : Long.toString(value.asLong());
    }

    private static String names() {
        StringBuilder names = new StringBuilder();
        for (SettingField field : SettingField.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(field.apiName());
        }
        return names.toString();
    }
}
