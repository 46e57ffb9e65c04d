package io.opsd.logging.internal;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.config.InvalidConfigurationException;

/**
 * Copies OSGi log records (R7 {@code Logger} and {@code LogService}: SCR, ConfigAdmin, FileInstall, ...) into
 * SLF4J, so everything the node logs ends up in one output. The records logged before this component started,
 * which the log service keeps, are copied first.
 */
@Component(immediate = true, service = {})
public final class LogEntryForwarder implements LogListener {

    /** The framework's {@code ServiceException} text when a component could not be activated for a getter. */
    private static final String FACTORY_NULL = "Service factory returned null";

    private final LogReaderService reader;
    private long lastSequence = -1;

    @Activate
    public LogEntryForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        // holding the lock while listening and replaying: a record logged meanwhile waits, then is either in the
        // history already (skipped by its sequence number) or newer
        synchronized (this) {
            reader.addLogListener(this);
            List<LogEntry> history = new ArrayList<>();
            for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
                history.add(e.nextElement());
            }
            history.sort(java.util.Comparator.comparingLong(LogEntry::getSequence));
            history.forEach(this::logged);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        if (entry.getSequence() <= lastSequence) {
            return; // already copied from the history
        }
        lastSequence = entry.getSequence();
        Logger logger = LoggerFactory.getLogger(loggerName(entry));
        String message = entry.getMessage();
        Throwable error = entry.getException();
        String reason = reasonWithoutTrace(error);
        if (reason != null) {
            message = message + ": " + reason;
            error = null;
        }
        switch (entry.getLogLevel()) {
            case ERROR -> logger.error(message, error);
            case WARN -> logger.warn(message, error);
            case DEBUG -> logger.debug(message, error);
            case TRACE -> logger.trace(message, error);
            default -> logger.info(message, error); // INFO and AUDIT
        }
    }

    /**
     * The one-line reason for an error whose stack trace tells an operator nothing, or null for any other error.
     * Both kinds follow a component's refusal of its configuration, which the component logged with the file
     * and key: SCR's report of the failed activation, and the framework's report that the component's service
     * could not be got.
     */
    static String reasonWithoutTrace(Throwable error) {
        String refusal = refusal(error);
        if (refusal != null) {
            return refusal;
        }
        for (Throwable t = error, seen = null; t != null && t != seen; seen = t, t = t.getCause()) {
            String text = t.toString();
            int at = text.indexOf(FACTORY_NULL);
            if (at >= 0) {
                return text.substring(at);
            }
        }
        return null;
    }

    /**
     * The reason of the configuration refusal behind an error, found through its causes, or null. Felix Log keeps
     * an exception of a bundle's own class only as its class name and message (a {@code LogException}), so the
     * refusal is recognised by that text as well as by its type.
     */
    static String refusal(Throwable error) {
        String marker = InvalidConfigurationException.class.getName() + ": ";
        for (Throwable t = error, seen = null; t != null && t != seen; seen = t, t = t.getCause()) {
            if (t instanceof InvalidConfigurationException) {
                return t.getMessage();
            }
            String text = t.toString();
            int at = text.indexOf(marker);
            if (at >= 0) {
                return text.substring(at + marker.length());
            }
        }
        return null;
    }

    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        // legacy LogService records carry "LogService.<bsn>", some R7 ones "ROOT": the bundle names them better
        if (name == null || name.isEmpty() || name.startsWith("LogService") || name.equals("ROOT")) {
            String bsn = entry.getBundle() == null ? null : entry.getBundle().getSymbolicName();
            return bsn == null ? "osgi" : bsn;
        }
        return name;
    }
}
