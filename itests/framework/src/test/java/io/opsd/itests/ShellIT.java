package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.collector.CollectorStatus;
import io.opsd.api.collector.MetricsView;
import io.opsd.api.node.NodeIdentity;
import io.opsd.api.node.NodeInfo;
import io.opsd.testing.Await;

/**
 * The opsd commands run through Gogo's CommandProcessor, as a console runs them, with the exact output checked.
 * Values that vary (pids, times) are read from the services and compared cell by cell at the header's offsets.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
// this test is the Gogo shell: it creates the sessions the runtime (which requires a shell) serves
@Capability(namespace = "org.apache.felix.gogo", name = "shell.implementation", version = "1.0.0")
class ShellIT {

    private static final int COMMANDS = 10;
    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z (TRACE|DEBUG|INFO|WARN|ERROR) ");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    @InjectService(timeout = 10_000)
    MetricsView metrics;

    @InjectService(timeout = 10_000)
    NodeIdentity node;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    record Output(List<String> out, List<String> err) {
    }

    @BeforeEach
    void commandsAreRegistered() {
        Await.until(Agents.LIMIT, () -> opsdCommands() == COMMANDS, () -> opsdCommands() + " opsd commands");
    }

    private int opsdCommands() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=opsd)");
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The command's output and error lines. A failed opsd command throws its one-line message, which a console prints
     * (Karaf: "Error executing command: opsd: ...", where the command's System.err would be lost on an ssh session):
     * it is taken as the error line it is to the user.
     */
    private Output run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> failure = new ArrayList<>();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err)) {
            session.execute(command);
        } catch (Exception e) {
            Throwable t = e;
            while (t != null && (t.getMessage() == null || !t.getMessage().startsWith("opsd: "))) {
                t = t.getCause();
            }
            if (t == null) {
                throw e;
            }
            assertEquals(0, t.getStackTrace().length, "a failure is one line, without a stack trace");
            failure.add(t.getMessage());
        }
        List<String> errors = new ArrayList<>(lines(err));
        errors.addAll(failure);
        return new Output(lines(out), List.copyOf(errors));
    }

    /**
     * The command's lines. Gogo's ThreadIO hands a session's streams down to threads started while a command runs (an
     * InheritableThreadLocal), so a supervisor thread the agent bundle starts then writes its log lines (console
     * appender) into this session too; those are not the command's output.
     */
    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !LOG_LINE.matcher(l).lookingAt()).toList();
    }

    @Test
    void bundlesAndConfigShowOriginsComponentsAndWhereValuesComeFrom() throws Exception {
        Output bundles = run("opsd:bundles");
        assertEquals(List.of(), bundles.err());
        assertEquals(List.of("ID", "NAME", "VERSION", "STATE", "ORIGIN", "COMPONENTS", "PROBLEM"),
            List.of(bundles.out().get(0).trim().split("\\s+")));
        String store = bundles.out().stream().filter(l -> l.matches("\\d+\\s+io\\.opsd\\.store\\s.*")).findFirst()
            .orElseThrow(() -> new AssertionError("no io.opsd.store row: " + bundles.out()));
        assertTrue(store.matches(".*\\sACTIVE\\s+core\\s+\\d+/\\d+\\s+-$"), store);
        assertTrue(bundles.out().size() >= context.getBundles().length, "a header and a row per bundle: " + bundles.out());

        Output all = run("opsd:config");
        assertEquals(List.of(), all.err());
        assertTrue(all.out().stream().anyMatch(l -> l.matches("io\\.opsd\\.collector\\.cpu\\s+file(\\+admin)?\\s+\\d+")),
            all.out().toString());
        Output cpu = run("opsd:config io.opsd.collector.cpu");
        assertTrue(cpu.out().get(0).matches("io\\.opsd\\.collector\\.cpu \\(file(\\+admin)?\\)"), cpu.out().toString());
        assertEquals(new Output(List.of(), List.of("opsd: no configuration \"io.opsd.nothing\"")),
            run("opsd:config io.opsd.nothing"));
    }

    @Test
    void agentCommandsShowTheTableOperateAgentsAndTailTheLog() throws Exception {
        Path log = Path.of(context.getProperty("opsd.log.dir"), "agents", "it-shell", "agent.log");
        Files.deleteIfExists(log); // left by an earlier run in the same node home
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-shell", "echo line 1; echo line 2; echo line 3; echo line 4; echo line 5; exec sleep 1000",
                Map.of());
            AgentStatus running = a.await("it-shell", AgentState.RUNNING);
            Await.until(Agents.LIMIT, () -> read(log).contains("line 5"), () -> "log: " + read(log));

            assertEquals(new Output(List.of("line 3", "line 4", "line 5"), List.of()),
                run("opsd:agent-log it-shell -n 3"));
            assertEquals(new Output(List.of("line 1", "line 2", "line 3", "line 4", "line 5"), List.of()),
                run("opsd:agent-log it-shell"));

            Output table = run("opsd:agents");
            assertEquals(List.of(), table.err());
            List<String> header = List.of("ID", "TYPE", "STATE", "PID", "RESTARTS", "HEALTH", "STARTED",
                "LAST HEARTBEAT");
            int[] at = columns(table.out().get(0), header);
            assertEquals(agents.agents().size() + 1, table.out().size(), "a header and one row per agent");
            String row = table.out().stream().filter(l -> l.startsWith("it-shell ")).findFirst().orElseThrow();
            String health = agents.agent("it-shell").orElseThrow().health();
            assertEquals(List.of("it-shell", "custom", "running", String.valueOf(running.pid()), "0", health,
                iso(running.startTime().orElseThrow()), "-"), cells(row, at));

            assertEquals(new Output(List.of("agent it-shell: stopped"), List.of()), run("opsd:agent-stop it-shell"));
            assertEquals(AgentState.STOPPED, agents.agent("it-shell").orElseThrow().state());

            long started = pidIn(run("opsd:agent-start it-shell"));
            assertEquals(started, agents.agent("it-shell").orElseThrow().pid());
            long restarted = pidIn(run("opsd:agent-restart it-shell"));
            assertNotEquals(started, restarted);
            assertEquals(restarted, agents.agent("it-shell").orElseThrow().pid());

            assertEquals(new Output(List.of(), List.of("opsd: no agent \"nope\"")), run("opsd:agent-start nope"));
            assertEquals(new Output(List.of(), List.of("opsd: no agent \"nope\"")), run("opsd:agent-log nope"));
            assertEquals(new Output(List.of(), List.of("opsd: invalid agent id \"..\": use 1 to 100 ASCII letters,"
                + " digits, '_', '.' or '-', starting with a letter or digit")), run("opsd:agent-log .."));
            assertEquals(new Output(List.of(), List.of("opsd: usage: agent-stop <id>")), run("opsd:agent-stop"));
        }
    }

    @Test
    void collectorsAndMetricsShowTheLatestSamples() throws Exception {
        Await.until(Agents.LIMIT, () -> metrics.collector("cpu").flatMap(CollectorStatus::latest).isPresent(),
            () -> "cpu: " + metrics.collector("cpu"));

        Output collectors = run("opsd:collectors");
        assertEquals(List.of(), collectors.err());
        int[] at = columns(collectors.out().get(0), List.of("NAME", "INTERVAL", "LAST", "STALE", "ERROR"));
        List<String> names = new ArrayList<>();
        for (String row : collectors.out().subList(1, collectors.out().size())) {
            List<String> cells = cells(row, at);
            names.add(cells.get(0));
            CollectorStatus c = metrics.collector(cells.get(0)).orElseThrow();
            assertEquals(seconds(c.schedule().interval()), cells.get(1), row);
            if (c.latest().isPresent()) {
                assertTrue(cells.get(2).matches("\\d+(ms|s|m|m\\d\\ds) ago"), row);
            }
        }
        assertEquals(List.copyOf(metrics.collectors().keySet()), names, "one row per collector in name order");
        List<String> cpu = cells(collectors.out().stream().filter(l -> l.startsWith("cpu ")).findFirst()
            .orElseThrow(), at);
        assertEquals(List.of("no", "-"), cpu.subList(3, 5), "cpu is fresh and fine: " + cpu);

        Output values = run("opsd:metrics cpu");
        assertEquals(List.of(), values.err());
        List<String> keys = new ArrayList<>(new TreeMap<>(metrics.collector("cpu").orElseThrow().latest()
            .orElseThrow().values()).keySet());
        assertEquals(keys.size(), values.out().size(), values.out().toString());
        int equals = values.out().get(0).indexOf(" = ");
        for (int i = 0; i < keys.size(); i++) {
            String line = values.out().get(i);
            assertTrue(line.matches(Pattern.quote(keys.get(i)) + " * = -?\\d+(\\.\\d+)?"), line);
            assertEquals(equals, line.indexOf(" = "), "aligned: " + line);
        }

        Output all = run("opsd:metrics");
        int cpuAt = all.out().indexOf("cpu");
        assertTrue(cpuAt >= 0, "grouped by collector: " + all.out());
        assertTrue(all.out().get(cpuAt + 1).startsWith("  " + keys.get(0) + " "), all.out().toString());

        assertEquals(new Output(List.of(), List.of("opsd: no collector \"nope\"")), run("opsd:metrics nope"));
    }

    @Test
    void statusShowsTheNodeAndWhyAComponentIsNotActive() throws Exception {
        NodeInfo info = node.snapshot();
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-shell-bad", "exit 0", Map.of("binary_path", "sh"));
            AtomicReference<Output> seen = new AtomicReference<>();
            Await.until(Agents.LIMIT, () -> {
                seen.set(run2("opsd:status"));
                return seen.get().out().stream().anyMatch(l -> l.contains("(io.opsd.agent~it-shell-bad)"));
            }, () -> String.valueOf(seen.get()));
            Output status = seen.get();
            assertEquals(List.of(), status.err());
            assertEquals(List.of(
                "node id     " + info.nodeId(),
                "hostname    " + info.hostname(),
                "address     " + info.address(),
                "version     " + info.opsdVersion()), status.out().subList(0, 4));
            assertTrue(status.out().get(4).matches("components  \\d+ \\(\\d+ not active\\)"), status.out().get(4));
            assertTrue(status.out().get(5).matches("ready       (yes|no) \\(.*\\d+ rejected\\)"), status.out().get(5));
            int[] at = columns(status.out().get(6), List.of("COMPONENT", "STATE", "READINESS", "WHY"));
            String row = status.out().stream().filter(l -> l.contains("(io.opsd.agent~it-shell-bad)")).findFirst()
                .orElseThrow();
            List<String> cells = cells(row, at);
            assertTrue(cells.get(0).endsWith(" (io.opsd.agent~it-shell-bad)"), row);
            assertEquals("failed activation", cells.get(1), row);
            assertEquals("rejected", cells.get(2), "an agent's refused configuration leaves the node ready: " + row);
            assertTrue(cells.get(3).startsWith("io.opsd.agent~it-shell-bad") && cells.get(3).contains("binary_path"),
                row);
        }
    }

    private Output run2(String command) {
        try {
            return run(command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The start of each header cell, checking that the header is exactly these names, aligned. */
    private static int[] columns(String header, List<String> names) {
        int[] at = new int[names.size()];
        int from = 0;
        for (int i = 0; i < names.size(); i++) {
            at[i] = header.indexOf(names.get(i), from);
            assertTrue(at[i] >= 0, header);
            from = at[i] + names.get(i).length();
        }
        assertTrue(header.matches(String.join(" {2,}", names.stream().map(Pattern::quote).toList())), header);
        return at;
    }

    /** A row cut at the header's offsets: each cell starts exactly under its header, after a space. */
    private static List<String> cells(String row, int[] at) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            assertTrue(row.length() > at[i] && row.charAt(at[i]) != ' ', "column " + i + " aligned: " + row);
            assertTrue(i == 0 || row.charAt(at[i] - 1) == ' ', "column " + i + " aligned: " + row);
            int end = i + 1 < at.length ? at[i + 1] : row.length();
            cells.add(row.substring(at[i], end).strip());
        }
        return cells;
    }

    private static long pidIn(Output output) {
        assertEquals(List.of(), output.err());
        assertEquals(1, output.out().size(), output.out().toString());
        Matcher m = Pattern.compile("agent it-shell: running \\(pid (\\d+)\\)").matcher(output.out().get(0));
        assertTrue(m.matches(), output.out().get(0));
        return Long.parseLong(m.group(1));
    }

    private static String iso(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String seconds(Duration interval) {
        return interval.toSeconds() < 60 && interval.toMillis() % 1000 == 0 ? interval.toSeconds() + "s"
            : "unexpected interval " + interval;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
