package io.opsd.logging.logback;

import java.nio.file.Path;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;

/**
 * The embedded node's default logging, set up in code: the same appenders, loggers and levels as the packed
 * {@code opsd-logback.xml}, which stays the template an operator copies to {@code <config dir>/logback.xml}. Reading
 * the XML cost about a fifth of a second of every start (JAXP and logback's configuration model, some 600 classes).
 * When {@code logback.configurationFile} is set (the launcher sets it to the operator's copy), this steps aside and
 * logback reads that file as before.
 */
public final class NodeLogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, Path.of(System.getProperty("opsd.log.dir", "logs")));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** What opsd-logback.xml says, with {@code logDir} for its {@code LOG_DIR}. */
    static void configure(LoggerContext context, Path logDir) {
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setContext(context);
        warnings.setLevel(Level.WARN.toString());
        warnings.start();
        ConsoleAppender<ILoggingEvent> console = console(context, "CONSOLE");
        console.addFilter(warnings);
        console.start();
        // opsd's own lines reach the console at every level; the third-party start-up chatter goes to the file only
        ConsoleAppender<ILoggingEvent> consoleOpsd = console(context, "CONSOLE_OPSD");
        consoleOpsd.start();
        RollingFileAppender<ILoggingEvent> file = file(context, logDir);

        context.getLogger("Events").setLevel(Level.WARN);
        context.getLogger("oshi.util.FileUtil").setLevel(Level.ERROR);
        Logger opsd = context.getLogger("io.opsd");
        opsd.setAdditive(false);
        opsd.addAppender(consoleOpsd);
        opsd.addAppender(file);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        root.addAppender(file);
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(name);
        console.setEncoder(encoder(context));
        return console;
    }

    private static RollingFileAppender<ILoggingEvent> file(LoggerContext context, Path logDir) {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(logDir + "/opsd.log");
        file.setEncoder(encoder(context));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(logDir + "/opsd.%i.log.gz");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(7);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        return file;
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
