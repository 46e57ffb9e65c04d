package io.opsd.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.opsd.api.agent.AgentListener;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.testing.Await;

/** Test agents: configurations through ConfigurationAdmin, every state change recorded, process checks in /proc. */
final class Agents implements AutoCloseable {

    static final Duration LIMIT = Duration.ofSeconds(30);

    record Event(Instant time, AgentStatus status) {
    }

    private final ConfigurationAdmin cm;
    private final AgentManager agents;
    private final List<Configuration> configurations = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final ServiceRegistration<AgentListener> listener;

    Agents(BundleContext context, ConfigurationAdmin cm, AgentManager agents) {
        this.cm = cm;
        this.agents = agents;
        this.listener = context.registerService(AgentListener.class, s -> events.add(new Event(Instant.now(), s)),
            null);
    }

    /** Creates {@code io.opsd.agent~<id>} with a /bin/sh script as the agent, plus {@code more} keys. */
    Configuration shell(String id, String script, Map<String, Object> more) throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("type", "custom");
        props.put("binary_path", "/bin/sh");
        props.put("args", "-c \"" + script + "\"");
        props.put("health.heartbeat_timeout", "disabled");
        props.put("health.interval", "1s");
        props.put("stop.timeout", "5s");
        more.forEach(props::put);
        return configure(id, props);
    }

    Configuration configure(String id, Dictionary<String, Object> props) throws IOException {
        Configuration c = cm.getFactoryConfiguration("io.opsd.agent", id, "?");
        c.update(props);
        configurations.add(c);
        return c;
    }

    AgentStatus await(String id, AgentState state) {
        Await.until(LIMIT, () -> agents.agent(id).map(s -> s.state() == state).orElse(false),
            () -> id + " is " + agents.agent(id).map(s -> s.state() + " " + s).orElse("unknown"));
        return agents.agent(id).orElseThrow();
    }

    /** Times at which the agent was seen running with a new pid. */
    List<Instant> starts(String id) {
        List<Instant> out = new ArrayList<>();
        long lastPid = 0;
        for (Event e : events) {
            if (e.status().id().equals(id) && e.status().state() == AgentState.RUNNING && e.status().pid() != lastPid) {
                out.add(e.time());
                lastPid = e.status().pid();
            }
        }
        return out;
    }

    List<Event> events(String id) {
        return events.stream().filter(e -> e.status().id().equals(id)).toList();
    }

    /**
     * The live pids whose session is {@code sid}: the agent's whole process tree. A zombie has ended already (it
     * waits only for the host's init to reap it) and does not count.
     */
    static List<Long> session(long sid) {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(entry.resolve("stat"), StandardCharsets.ISO_8859_1);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    boolean ended = f[0].equals("Z") || f[0].equals("X");
                    if (!ended && Long.parseLong(f[3]) == sid) { // fields after comm: state ppid pgrp session
                        members.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process went away while being read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return members;
    }

    @Override
    public void close() throws IOException {
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException e) {
                // deleted already
            }
        }
        listener.unregister();
    }
}
