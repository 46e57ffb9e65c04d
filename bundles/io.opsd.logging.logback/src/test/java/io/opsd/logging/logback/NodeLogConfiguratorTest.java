package io.opsd.logging.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.status.Status;

class NodeLogConfiguratorTest {

    /** The template operators copy; the configurator must say the same thing. */
    private static final Path TEMPLATE = Path.of("../../app/src/main/resources/opsd-logback.xml");

    private final List<LoggerContext> contexts = new ArrayList<>();

    @AfterEach
    void stopContexts() {
        contexts.forEach(LoggerContext::stop);
        System.clearProperty("opsd.log.dir");
        System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
    }

    @Test
    void theCodeSetsUpWhatThePackedXmlSays(@TempDir Path logs) throws Exception {
        assertTrue(Files.isRegularFile(TEMPLATE), "no " + TEMPLATE.toAbsolutePath());
        System.setProperty("opsd.log.dir", logs.toString());
        LoggerContext fromXml = context();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromXml);
        joran.doConfigure(TEMPLATE.toFile());
        LoggerContext fromCode = context();
        NodeLogConfigurator configurator = new NodeLogConfigurator();
        configurator.setContext(fromCode);

        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(fromCode));

        String expected = describe(fromXml);
        assertTrue(expected.contains("appender FILE"), expected);
        assertEquals(expected, describe(fromCode));
        assertEquals(List.of(), problems(fromCode));
        fromCode.getLogger("io.opsd.test").info("a line for the file");
        assertEquals(List.of(), problems(fromCode));
        assertTrue(Files.readString(logs.resolve("opsd.log")).contains("INFO  [main] io.opsd.test - a line for the"
            + " file"), "opsd.log: " + Files.readString(logs.resolve("opsd.log")) + "\n"
            + problems(fromCode));
    }

    @Test
    void anOperatorsLogbackXmlIsLeftToLogback(@TempDir Path logs) {
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, logs.resolve("logback.xml").toString());
        LoggerContext context = context();
        NodeLogConfigurator configurator = new NodeLogConfigurator();
        configurator.setContext(context);

        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertEquals(List.of(), appenders(context.getLogger(Logger.ROOT_LOGGER_NAME)));
    }

    private LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider does for its own context
        context.start();
        contexts.add(context);
        return context;
    }

    /** Every logger that is configured, with its appenders and what decides their output. */
    private static String describe(LoggerContext context) {
        TreeMap<String, String> lines = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            List<Appender<ILoggingEvent>> appenders = appenders(logger);
            if (logger.getLevel() == null && appenders.isEmpty() && logger.isAdditive()) {
                continue;
            }
            StringBuilder line = new StringBuilder("logger " + logger.getName() + " level=" + logger.getLevel()
                + " additive=" + logger.isAdditive());
            for (Appender<ILoggingEvent> a : appenders) {
                line.append("\n  ").append(describe(a, context));
            }
            lines.put(logger.getName(), line.toString());
        }
        return String.join("\n", lines.values());
    }

    private static String describe(Appender<ILoggingEvent> appender, LoggerContext context) {
        StringBuilder s = new StringBuilder("appender " + appender.getName() + " " + appender.getClass().getName()
            + " started=" + appender.isStarted());
        if (appender instanceof OutputStreamAppender<ILoggingEvent> out) {
            s.append(" pattern=").append(((PatternLayoutEncoder) out.getEncoder()).getPattern());
        }
        for (Filter<ILoggingEvent> filter : appender.getCopyOfAttachedFiltersList()) {
            s.append(" filter ").append(filter.getClass().getSimpleName());
            for (Level level : List.of(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
                s.append(' ').append(level).append('=').append(filter.decide(event(context, level)));
            }
        }
        if (appender instanceof RollingFileAppender<ILoggingEvent> file) {
            FixedWindowRollingPolicy rolling = (FixedWindowRollingPolicy) file.getRollingPolicy();
            SizeBasedTriggeringPolicy<?> trigger = (SizeBasedTriggeringPolicy<?>) file.getTriggeringPolicy();
            s.append(" file=").append(file.getFile()).append(" rolled=").append(rolling.getFileNamePattern())
                .append(" window=").append(rolling.getMinIndex()).append("..").append(rolling.getMaxIndex())
                .append(" compression=").append(rolling.getCompressionMode())
                .append(" maxFileSize=").append(trigger.getMaxFileSize());
        }
        return s.toString();
    }

    private static ILoggingEvent event(LoggerContext context, Level level) {
        return new LoggingEvent("test", context.getLogger("x"), level, "m", null, null);
    }

    private static List<Appender<ILoggingEvent>> appenders(Logger logger) {
        List<Appender<ILoggingEvent>> list = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext();) {
            list.add(it.next());
        }
        return list;
    }

    private static List<String> problems(LoggerContext context) {
        return context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() >= Status.WARN).map(Status::getMessage).toList();
    }
}
