package io.opsd.agent.internal;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.opsd.api.agent.AgentDefinition;
import io.opsd.api.config.ConfigCheck;
import io.opsd.api.config.ConfigValues;
import io.opsd.api.store.AgentIds;

/**
 * An agent's configuration, validated: what it is launched with (a change restarts it), and how it is watched,
 * restarted, stopped and logged (a change applies in place).
 */
record AgentSettings(Launch launch, String name, String version, boolean enabled, Health health,
                     RestartPolicy restart, Duration stopTimeout, Logs logs) {

    /** Turns a health check off, where a number could be mistaken for a limit. */
    private static final String DISABLED = "disabled";

    /** What the process is started with. */
    record Launch(String id, String type, Path binary, List<String> args, Optional<Path> configFile, Path workDir,
                  Map<String, String> env, boolean inheritEnv, Optional<Accounts.Account> runAs,
                  boolean keepRunningOnExit, Map<String, Object> properties) {

        AgentDefinition definition() {
            return new AgentDefinition(id, type, binary, args, configFile, workDir, properties);
        }

        /** Launch settings compared without the raw properties, which change with every edit of the file. */
        boolean sameLaunch(Launch other) {
            return id.equals(other.id) && type.equals(other.type) && binary.equals(other.binary)
                && args.equals(other.args) && configFile.equals(other.configFile) && workDir.equals(other.workDir)
                && env.equals(other.env) && inheritEnv == other.inheritEnv && runAs.equals(other.runAs)
                && keepRunningOnExit == other.keepRunningOnExit
                && typeProperties().equals(other.typeProperties());
        }

        private Map<String, Object> typeProperties() {
            Map<String, Object> p = new LinkedHashMap<>();
            properties.forEach((k, v) -> {
                if (k.startsWith(type + ".")) {
                    p.put(k, v instanceof Object[] a ? List.of(a) : v);
                }
            });
            return p;
        }
    }

    /** {@code typeProbe}: whether the type's default HTTP probe runs when no {@code httpUrl} is set. */
    record Health(Duration interval, Optional<Duration> heartbeatTimeout, Optional<URI> httpUrl, boolean typeProbe,
                  Optional<String> tcpAddress, double cpuThreshold, long memoryThreshold,
                  Duration thresholdDuration) {
    }

    record Logs(long maxSize, int maxFiles, boolean compress) {
    }

    static AgentSettings of(AgentConfig c, Map<String, Object> props, Path dataDir, Accounts accounts) {
        ConfigCheck check = ConfigCheck.of(props);
        String id = id(c, props, check);
        String type = c.type() == null ? "" : c.type().trim();
        if (!type.matches("[a-z][a-z0-9_.-]{0,63}")) {
            throw check.invalid("type", type, "is not a type name; use filebeat, telegraf, node_exporter, custom or"
                + " the name of an installed type (lower case letters, digits, '_', '.', '-')");
        }
        Path binary = binary(c.binary__path(), check);
        List<String> args = check.parse("args", c.args(), ArgsSplitter::split);
        Optional<Path> configFile = optionalAbsolute(c.config__file(), "config_file", check);
        Path workDir = optionalAbsolute(c.work__dir(), "work_dir", check)
            .orElse(dataDir.resolve("work").resolve(id));
        Map<String, String> env = check.keyValues("env", c.env());
        boolean inheritEnv = check.bool("inherit_env", c::inherit__env);
        Optional<Accounts.Account> runAs = check.parse("user", c.user(), accounts::runAs);

        Duration interval = bounded(check, "health.interval", check.duration("health.interval", c.health_interval()),
            Duration.ofSeconds(1), Duration.ofHours(1));
        String timeoutText = c.health_heartbeat__timeout() == null ? "" : c.health_heartbeat__timeout().trim();
        Optional<Duration> heartbeatTimeout = timeoutText.equalsIgnoreCase(DISABLED) ? Optional.empty()
            : Optional.of(bounded(check, "health.heartbeat_timeout", check.duration("health.heartbeat_timeout",
                timeoutText), Duration.ofSeconds(1), Duration.ofDays(1)));
        // "disabled" turns off the HTTP probe altogether, the type's default one included
        boolean typeProbe = !DISABLED.equalsIgnoreCase(String.valueOf(c.health_http__url()).trim());
        Optional<URI> httpUrl = typeProbe ? httpUrl(c.health_http__url(), check) : Optional.empty();
        Optional<String> tcp = tcpAddress(c.health_tcp__address(), check);
        double cpu = cpuThreshold(c.health_cpu__threshold(), check);
        long memory = memoryThreshold(c.health_memory__threshold(), check);
        Duration thresholdDuration = check.duration("health.threshold_duration", c.health_threshold__duration());

        RestartPolicy.Mode mode = check.parse("restart.policy", c.restart_policy(), RestartPolicy.Mode::of);
        int maxRetries = check.integer("restart.max_retries", c::restart_max__retries);
        if (maxRetries < 0 || maxRetries > 1_000_000) {
            throw check.invalid("restart.max_retries", maxRetries, "is out of range; use 0 to 1000000");
        }
        Duration base = bounded(check, "restart.backoff_base", check.duration("restart.backoff_base",
            c.restart_backoff__base()), Duration.ZERO, Duration.ofHours(1));
        Duration max = bounded(check, "restart.backoff_max", check.duration("restart.backoff_max",
            c.restart_backoff__max()), base, Duration.ofHours(24));
        Duration resetAfter = check.duration("restart.reset_after", c.restart_reset__after());
        Duration stop = bounded(check, "stop.timeout", check.duration("stop.timeout", c.stop_timeout()),
            Duration.ZERO, Duration.ofMinutes(10));
        long logSize = check.size("log.max_size", c.log_max__size());
        if (logSize < 4096) {
            throw check.invalid("log.max_size", c.log_max__size(), "is too small; use at least 4KiB");
        }
        int maxFiles = check.integer("log.max_files", c::log_max__files);
        if (maxFiles < 1 || maxFiles > 1000) {
            throw check.invalid("log.max_files", maxFiles, "is out of range; use 1 to 1000");
        }
        return new AgentSettings(
            new Launch(id, type, binary, args, configFile, workDir, env, inheritEnv, runAs,
                check.bool("keep_running_on_exit", c::keep__running__on__exit), props),
            c.name() == null || c.name().isBlank() ? id : c.name().trim(), version(c, check),
            check.bool("enabled", c::enabled),
            new Health(interval, heartbeatTimeout, httpUrl, typeProbe, tcp, cpu, memory, thresholdDuration),
            new RestartPolicy(mode, maxRetries, base, max, resetAfter), stop,
            new Logs(logSize, maxFiles, check.bool("log.compress", c::log_compress)));
    }

    private static String version(AgentConfig c, ConfigCheck check) {
        String v = c.version() == null ? "" : c.version().trim();
        if (v.length() > 100 || !v.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw check.invalid("version", v, "is not a version; use up to 100 printable characters without blanks");
        }
        return v;
    }

    /** The {@code id} key, else the name of the factory configuration ({@code io.opsd.agent~<name>}). */
    private static String id(AgentConfig c, Map<String, Object> props, ConfigCheck check) {
        String configured = c.id() == null ? "" : c.id().trim();
        String pid = String.valueOf(props.getOrDefault("service.pid", ""));
        int tilde = pid.indexOf('~');
        String fromName = tilde < 0 ? "" : pid.substring(tilde + 1);
        String id = configured.isEmpty() ? fromName : configured;
        if (!AgentIds.isValid(id)) {
            throw check.invalid("id", id, "is not a valid agent id; use 1 to 100 ASCII letters, digits, '_', '.' or"
                + " '-', starting with a letter or digit");
        }
        if (!fromName.isEmpty() && !configured.isEmpty() && !configured.equals(fromName)) {
            throw check.invalid("id", id, "differs from the name of the file (" + fromName + "); leave id empty or"
                + " make them the same");
        }
        return id;
    }

    private static Path binary(String text, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw check.invalid("binary_path", value, "is required: the absolute path of the agent's executable");
        }
        Path p;
        try {
            p = Path.of(value);
        } catch (RuntimeException e) {
            throw check.invalid("binary_path", value, "is not a path");
        }
        if (!p.isAbsolute()) {
            throw check.invalid("binary_path", value, "is not absolute; give the full path");
        }
        p = p.normalize();
        if (!Files.isRegularFile(p)) {
            throw check.invalid("binary_path", value, "does not exist or is not a file");
        }
        if (!Files.isExecutable(p)) {
            throw check.invalid("binary_path", value, "is not executable");
        }
        return p;
    }

    private static Optional<Path> optionalAbsolute(String text, String key, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.indexOf('\0') >= 0 || !Path.of(value).isAbsolute()) {
            throw check.invalid(key, value, "is not an absolute path");
        }
        return Optional.of(Path.of(value).normalize());
    }

    private static Optional<URI> httpUrl(String text, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return Optional.of(uri);
        } catch (Exception e) {
            throw check.invalid("health.http_url", value, "is not an http or https URL with a host");
        }
    }

    private static Optional<String> tcpAddress(String text, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):\\d{1,5}")
            || Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)) > 65535) {
            throw check.invalid("health.tcp_address", value, "is not host:port");
        }
        return Optional.of(value);
    }

    /** Percent of one core; {@code 0} or {@code disabled} turns the check off. */
    private static double cpuThreshold(String text, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.equalsIgnoreCase(DISABLED)) {
            return 0;
        }
        double cpu;
        try {
            cpu = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            cpu = Double.NaN;
        }
        if (!(cpu >= 0) || Double.isInfinite(cpu)) {
            throw check.invalid("health.cpu_threshold", value, "is not a threshold; use a percent of one core such as"
                + " 50 (more than 100 for several cores), or 0 or disabled to turn the check off");
        }
        return cpu;
    }

    /**
     * Resident bytes; a bare number is bytes, as for every opsd size ({@code 524288000} = {@code 524288000B} =
     * {@code 500MiB}). {@code 0} or {@code disabled} turns the check off.
     */
    private static long memoryThreshold(String text, ConfigCheck check) {
        String value = text == null ? "" : text.trim();
        if (value.equalsIgnoreCase(DISABLED)) {
            return 0;
        }
        try {
            return ConfigValues.size(value);
        } catch (IllegalArgumentException e) {
            throw check.invalid("health.memory_threshold", value, e.getMessage() + "; 0 or disabled turns the check"
                + " off");
        }
    }

    private static Duration bounded(ConfigCheck check, String key, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw check.invalid(key, d.toMillis() + "ms", "is out of range; use " + min.toMillis() + "ms to "
                + max.toMillis() + "ms");
        }
        return d;
    }

}
