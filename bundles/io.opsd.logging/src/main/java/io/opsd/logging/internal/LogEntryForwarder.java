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

/**
 * Copies OSGi log records (R7 {@code Logger} and {@code LogService}: SCR, ConfigAdmin, FileInstall, ...) into
 * SLF4J, so everything the node logs ends up in one output. The records logged before this component started,
 * which the log service keeps, are copied first.
 */
@Component(immediate = true, service = {})
public final class LogEntryForwarder implements LogListener {

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
        switch (entry.getLogLevel()) {
            case ERROR -> logger.error(message, error);
            case WARN -> logger.warn(message, error);
            case DEBUG -> logger.debug(message, error);
            case TRACE -> logger.trace(message, error);
            default -> logger.info(message, error); // INFO and AUDIT
        }
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
