package io.opsd.logging.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.opsd.api.config.ConfigCheck;

/**
 * Applies the levels of PID {@code org.osgi.service.log.admin} ({@code ROOT=INFO}, {@code io.opsd.node=DEBUG},
 * ...) to logback at run time. The OSGi log service reads the same PID for OSGi log records. The keys are logger
 * names, not a fixed set, so this component reads the raw properties instead of a typed configuration.
 */
@Component(configurationPid = "org.osgi.service.log.admin", configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true)
public final class LogLevels {

    static final String ROOT = "ROOT";
    static final Level DEFAULT_ROOT_LEVEL = Level.INFO;
    private static final Set<String> LEVELS = Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "AUDIT");
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogLevels.class);

    private final LoggerContext context;
    private final Map<String, Level> applied = new HashMap<>();

    @Activate
    public LogLevels(Map<String, Object> props) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext logback) {
            this.context = logback;
            apply(props, false);
        } else {
            this.context = null;
            LOG.warn("SLF4J is bound to {}, not logback: levels from org.osgi.service.log.admin apply only to OSGi"
                + " log records", factory.getClass().getName());
        }
    }

    @Modified
    void modified(Map<String, Object> props) {
        apply(props, true);
    }

    @Deactivate
    void deactivate() {
        apply(Map.of(), false);
    }

    /** {@code announce}: a change made at run time is worth an INFO line; the levels read at start are not. */
    private synchronized void apply(Map<String, Object> props, boolean announce) {
        if (context == null) {
            return;
        }
        ConfigCheck check = ConfigCheck.of(props);
        Map<String, Level> wanted = new HashMap<>();
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String key = e.getKey();
            if (!isLoggerKey(key)) {
                continue;
            }
            String value = String.valueOf(e.getValue()).trim().toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(value)) {
                Level kept = applied.get(key);
                LOG.error("{}; the logger keeps level {}", check.invalid(key, e.getValue(),
                    "is not a level; use one of OFF, ERROR, WARN, INFO, DEBUG, TRACE").getMessage(),
                    kept == null ? "(inherited)" : kept);
                if (kept != null) {
                    wanted.put(key, kept);
                }
                continue;
            }
            wanted.put(key, Level.toLevel("AUDIT".equals(value) ? "INFO" : value));
        }
        for (String key : applied.keySet()) {
            if (!wanted.containsKey(key)) {
                logger(key).setLevel(ROOT.equals(key) ? DEFAULT_ROOT_LEVEL : null);
            }
        }
        wanted.forEach((key, level) -> {
            if (!level.equals(applied.get(key))) {
                logger(key).setLevel(level);
                if (announce) {
                    LOG.info("log level of {} is now {}", key, level);
                } else {
                    LOG.debug("log level of {} is {}", key, level);
                }
            }
        });
        applied.clear();
        applied.putAll(wanted);
    }

    private Logger logger(String key) {
        return context.getLogger(ROOT.equals(key) ? org.slf4j.Logger.ROOT_LOGGER_NAME : key);
    }

    static boolean isLoggerKey(String key) {
        return !key.startsWith("service.") && !key.startsWith("component.") && !key.startsWith("felix.")
            && !key.startsWith("osgi.") && !key.startsWith(".") && !key.equals("objectClass");
    }
}
