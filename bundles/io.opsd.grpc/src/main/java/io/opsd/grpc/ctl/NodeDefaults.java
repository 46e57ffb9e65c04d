package io.opsd.grpc.ctl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ctl takes from the node's configuration directory when the command line does not say: the address, token and
 * CA of {@code io.opsd.grpc.server.cfg} (its {@code bind} and {@code port}, {@code token}, {@code tls.cert_file}) and
 * the {@code admin_token} of {@code io.opsd.admin.cfg}. Values are substituted as FileInstall substitutes them when
 * the node reads the files: {@code ${env:NAME}} from the environment, {@code ${name}} from the system properties,
 * each with an optional {@code :-default}. A value ctl cannot substitute here is kept as a problem that names the
 * file and key, reported when a command needs that value and the command line does not give it.
 */
final class NodeDefaults {

    static final String TARGET = "target";
    static final String TOKEN = "token";
    static final String CA = "ca";
    static final String ADMIN_TOKEN = "admin_token";
    static final NodeDefaults NONE = of(Map.of());

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Map<String, String> FLAGS = Map.of(TARGET, "--address", TOKEN, "--token", CA, "--ca",
        ADMIN_TOKEN, "--admin-token");

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();
    private final Map<String, String> env;
    private final Map<String, String> properties;

    private NodeDefaults(Map<String, String> env, Map<String, String> properties) {
        this.env = env;
        this.properties = properties;
    }

    /** Given values, none of them a problem. */
    static NodeDefaults of(Map<String, String> values) {
        NodeDefaults d = new NodeDefaults(Map.of(), Map.of());
        d.values.putAll(values);
        return d;
    }

    /** The defaults in {@code configDir}, substituting from {@code env} and the system {@code properties}. */
    static NodeDefaults read(Path configDir, Map<String, String> env, Map<String, String> properties) {
        Map<String, String> known = new HashMap<>(properties);
        known.putIfAbsent("opsd.config.dir", configDir.toString());
        NodeDefaults d = new NodeDefaults(env, known);
        d.admin(configDir.resolve("io.opsd.admin.cfg"));
        d.server(configDir.resolve("io.opsd.grpc.server.cfg"));
        return d;
    }

    /**
     * The default of {@code key} ({@link #TARGET}, {@link #TOKEN}, {@link #CA} or {@link #ADMIN_TOKEN}); empty when
     * there is none, or when its value cannot be substituted and {@code needed} is false.
     *
     * @throws IllegalStateException when the value is needed and cannot be substituted
     */
    Optional<String> value(String key, boolean needed) {
        String problem = problems.get(key);
        if (problem != null && needed) {
            throw new IllegalStateException(problem + "; give " + FLAGS.get(key));
        }
        return Optional.ofNullable(values.get(key));
    }

    private void admin(Path file) {
        load(file, ADMIN_TOKEN).flatMap(cfg -> resolved(file, cfg, "admin_token", ADMIN_TOKEN))
            .filter(t -> !t.isEmpty()).ifPresent(t -> values.put(ADMIN_TOKEN, t));
    }

    private void server(Path file) {
        Optional<Properties> p = load(file, TARGET, TOKEN, CA);
        if (p.isEmpty()) {
            return;
        }
        Properties cfg = p.get();
        Optional<String> bind = resolved(file, cfg, "bind", TARGET);
        Optional<String> port = resolved(file, cfg, "port", TARGET);
        if (!problems.containsKey(TARGET)) {
            String host = bind.filter(b -> !b.isEmpty()).orElse("127.0.0.1");
            if (host.equals("0.0.0.0") || host.equals("::")) {
                host = "127.0.0.1";
            }
            values.put(TARGET, (host.contains(":") ? "[" + host + "]" : host) + ":"
                + port.filter(v -> !v.isEmpty()).orElse("9091"));
        }
        resolved(file, cfg, "token", TOKEN).filter(t -> !t.isEmpty()).ifPresent(t -> values.put(TOKEN, t));
        // the node's own certificate chain: trusting it trusts the node, whichever CA signed it
        resolved(file, cfg, "tls.cert_file", CA).filter(c -> !c.isEmpty()).ifPresent(c -> values.put(CA, c));
    }

    /** The file's properties; none when it does not exist; a problem for each of {@code keys} when unreadable. */
    private Optional<Properties> load(Path file, String... keys) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            for (String key : keys) {
                problems.put(key, "cannot read " + file + " (" + e.getMessage() + ")");
            }
            return Optional.empty();
        }
    }

    /** The trimmed, substituted value of {@code key}; a problem of {@code option} when it cannot be substituted. */
    private Optional<String> resolved(Path file, Properties cfg, String key, String option) {
        String value = cfg.getProperty(key);
        if (value == null) {
            return Optional.empty();
        }
        int bracket = value.indexOf("$[");
        if (bracket >= 0) {
            problems.putIfAbsent(option, file + ": " + key + " = " + reference(value, bracket, ']')
                + " is not substituted by ctl (it substitutes ${env:NAME} and ${property}, as the node's FileInstall"
                + " does)");
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            String name = m.group(1);
            int dash = name.indexOf(":-");
            String variable = dash < 0 ? name : name.substring(0, dash);
            String found = variable.startsWith("env:") ? env.get(variable.substring(4)) : properties.get(variable);
            if (found == null && dash < 0) {
                problems.putIfAbsent(option, file + ": " + key + " = " + m.group() + " cannot be substituted by ctl: "
                    + (variable.startsWith("env:") ? "the environment variable " + variable.substring(4)
                    : "the property " + variable) + " is not set in this shell");
                return Optional.empty();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(found != null ? found : name.substring(dash + 2)));
        }
        m.appendTail(out);
        return Optional.of(out.toString().trim());
    }

    private static String reference(String value, int start, char end) {
        int close = value.indexOf(end, start);
        return close < 0 ? value.substring(start) : value.substring(start, close + 1);
    }
}
