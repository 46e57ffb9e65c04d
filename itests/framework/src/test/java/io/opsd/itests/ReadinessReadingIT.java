package io.opsd.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.opsd.api.agent.AgentManager;
import io.opsd.testing.Await;
import io.opsd.testing.Http;

/**
 * {@code opsd:status} and {@code GET /ready} give the same reading: the same verdict and the same rows, in the same
 * order, under the same list (not ready or rejected), for an optional component that is down, a collector that
 * failed and a start level not reached. Both are read until they agree on a state that shows the case.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ReadinessReadingIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final JsonFactory JSON = new JsonFactory();
    /** {@code some.package.SomeException: } before the message of a failure in /ready. */
    private static final Pattern THROWABLE = Pattern.compile("^(?:[A-Za-z_$][\\w$]*\\.)+[\\w$]*"
        + "(?:Exception|Error|Throwable): ");
    private static final Pattern WITH_CONFIGURATION = Pattern.compile("\\S+ \\((\\S+)\\)");
    private static final String BROKEN_COLLECTOR = "io.opsd.itest.brokencollector";
    private static final String BROKEN_COMPONENT = BROKEN_COLLECTOR + ".internal.BrokenCollector";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin cm;

    @InjectService(timeout = 10_000)
    AgentManager agents;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    /** One row of either reading, in /ready's terms. */
    record Row(String name, String state, String list, String why) {
    }

    record Reading(boolean ready, List<Row> rows) {
        boolean has(String list, String name, String state) {
            return rows.stream().anyMatch(r -> r.list().equals(list) && r.name().equals(name)
                && r.state().equals(state));
        }
    }

    record Both(Reading http, Reading shell) {
    }

    @Test
    void anAgentWhoseConfigurationIsRefusedIsRejectedInBothAndTheNodeStaysReady() throws Exception {
        try (Agents a = new Agents(context, cm, agents)) {
            a.shell("it-reading-bad", "exit 0", Map.of("binary_path", "sh"));
            Both both = agree(r -> r.ready() && r.has("rejected", "io.opsd.agent~it-reading-bad", "failed activation"));
            Row row = both.shell().rows().stream().filter(r -> r.name().equals("io.opsd.agent~it-reading-bad"))
                .findFirst().orElseThrow();
            assertTrue(row.why().contains("binary_path"), row.toString());
        }
        agree(r -> r.ready() && !r.has("rejected", "io.opsd.agent~it-reading-bad", "failed activation"));
    }

    @Test
    void aCollectorThatFailedMakesBothUnready() throws Exception {
        NodeHome home = new NodeHome(context);
        Path deployed = home.deployDir().resolve(BROKEN_COLLECTOR + ".jar");
        Path staged = deployed.resolveSibling("." + BROKEN_COLLECTOR + ".staged"); // FileInstall never sees half a jar
        Files.copy(home.fixture(BROKEN_COLLECTOR), staged, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
            Both both = agree(r -> !r.ready() && r.has("not ready", BROKEN_COMPONENT, "failed activation"));
            assertTrue(both.shell().rows().contains(new Row(BROKEN_COMPONENT, "failed activation", "not ready",
                "broken collector fixture: the sensor it reads is missing")), both.toString());
        } finally {
            Files.deleteIfExists(deployed);
        }
        agree(r -> r.ready() && r.rows().stream().noneMatch(row -> row.name().equals(BROKEN_COMPONENT)));
    }

    @Test
    void aStartLevelNotReachedMakesBothUnready() throws Exception {
        // an opsd bundle moved above the framework's start level: the framework stops it and has not reached its
        // level, as while a node starts (lowering the framework's level instead would stop the test runner too)
        int framework = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
        BundleStartLevel collector = bundle("io.opsd.collector.load").adapt(BundleStartLevel.class);
        int original = collector.getStartLevel();
        try {
            collector.setStartLevel(framework + 1);
            Both both = agree(r -> !r.ready() && r.rows().get(0).equals(new Row("system.bundle", "starting",
                "not ready", "framework at start level " + framework + " of " + (framework + 1))));
            assertTrue(both.http().has("not ready", "io.opsd.collector.load", "resolved"), both.toString());
        } finally {
            collector.setStartLevel(original);
        }
        agree(Reading::ready);
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** Reads /ready and opsd:status until both agree on a reading that shows the case. */
    private Both agree(Predicate<Reading> shows) {
        AtomicReference<Both> seen = new AtomicReference<>();
        Await.until(LIMIT, () -> {
            Both both = new Both(http(), shell());
            seen.set(both);
            return both.http() != null && shows.test(both.http()) && both.http().equals(both.shell());
        }, () -> String.valueOf(seen.get()));
        return seen.get();
    }

    private Reading http() {
        try {
            Http.Response ready = new NodeHome(context).get("/ready");
            Reading reading = fromJson(ready.body());
            assertEquals(reading.ready() ? 200 : 503, ready.status(), ready.body());
            return reading;
        } catch (IOException e) {
            return null;
        }
    }

    private static Reading fromJson(String body) throws IOException {
        boolean ready = false;
        List<Row> notReady = List.of();
        List<Row> rejected = List.of();
        try (JsonParser p = JSON.createParser(body)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "ready" -> ready = p.getBooleanValue();
                    case "not_ready" -> notReady = rows(p, "not ready");
                    case "rejected" -> rejected = rows(p, "rejected");
                    default -> p.skipChildren();
                }
            }
        }
        List<Row> rows = new ArrayList<>(notReady);
        rows.addAll(rejected);
        return new Reading(ready, rows);
    }

    /** The entries of one /ready list, with the detail shown as the shell shows it (a failure by its message). */
    private static List<Row> rows(JsonParser p, String list) throws IOException {
        List<Row> rows = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> entry = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                entry.put(key, p.getValueAsString(""));
            }
            String detail = entry.getOrDefault("detail", "");
            String why = "failed activation".equals(entry.get("state")) ? THROWABLE.matcher(detail).replaceFirst("")
                : detail;
            rows.add(new Row(entry.getOrDefault("component", entry.get("bundle")), entry.get("state"), list,
                why.isEmpty() ? "-" : why));
        }
        return rows;
    }

    private Reading shell() {
        List<String> lines = status();
        String verdict = lines.stream().filter(l -> l.startsWith("ready ")).findFirst().orElseThrow().substring(5)
            .strip();
        List<Row> rows = new ArrayList<>();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith("COMPONENT ")) {
            header++;
        }
        if (header < lines.size()) {
            String head = lines.get(header);
            int[] at = {0, head.indexOf("STATE"), head.indexOf("READINESS"), head.indexOf("WHY")};
            for (String line : lines.subList(header + 1, lines.size())) {
                String name = line.substring(0, at[1]).strip();
                Matcher m = WITH_CONFIGURATION.matcher(name);
                rows.add(new Row(m.matches() ? m.group(1) : name, line.substring(at[1], at[2]).strip(),
                    line.substring(at[2], at[3]).strip(), line.substring(at[3]).strip()));
            }
        }
        return new Reading(verdict.startsWith("yes"), rows);
    }

    private List<String> status() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            session.execute("opsd:status");
        } catch (Exception e) {
            throw new AssertionError("opsd:status failed", e);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
