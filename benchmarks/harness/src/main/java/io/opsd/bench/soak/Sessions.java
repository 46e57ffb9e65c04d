package io.opsd.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The process sessions of the agents. Each agent runs in a session of its own whose id is the agent's pid, so
 * "a process outlives its agent" means: a process is left in a session whose agent has since been stopped or
 * restarted. Sessions are learnt from the agents' state files, and checked by scanning /proc.
 */
final class Sessions {

    /** session id → the agent that owned it and when it was replaced (0 while it is the agent's current one) */
    private final Map<Long, String> owner = new ConcurrentHashMap<>();
    private final Map<String, Long> current = new ConcurrentHashMap<>();
    private final Map<Long, Long> replacedAt = new ConcurrentHashMap<>();

    /** Records the agent's current pid (0 when it has none). */
    void observe(String agent, long pid) {
        Long before = current.get(agent);
        if (before != null && before != pid && before > 0) {
            replacedAt.putIfAbsent(before, System.nanoTime());
        }
        if (pid > 0) {
            owner.putIfAbsent(pid, agent);
            current.put(agent, pid);
            replacedAt.remove(pid);
        } else {
            current.remove(agent);
        }
    }

    int known() {
        return owner.size();
    }

    /**
     * Sessions replaced more than {@code graceNanos} ago that still hold a process: each entry names the agent,
     * the session and its processes.
     */
    List<String> outliving(long graceNanos) {
        Map<Long, List<String>> live = liveSessions(owner.keySet());
        List<String> out = new ArrayList<>();
        long now = System.nanoTime();
        replacedAt.forEach((sid, at) -> {
            if (now - at > graceNanos && live.containsKey(sid)) {
                out.add(owner.get(sid) + " (session " + sid + "): " + live.get(sid));
            }
        });
        return out;
    }

    /** After the node has exited: every session it ever started that still holds a process. */
    List<String> anyLeft() {
        List<String> out = new ArrayList<>();
        liveSessions(owner.keySet()).forEach((sid, procs) -> out.add(owner.get(sid) + " (session " + sid + "): "
            + procs));
        return out;
    }

    /** session id → "pid comm" of each live process in one of {@code sessions} */
    static Map<Long, List<String>> liveSessions(Set<Long> sessions) {
        Map<Long, List<String>> live = new java.util.HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                OptionalLong sid = session(p);
                if (sid.isPresent() && sessions.contains(sid.getAsLong())) {
                    live.computeIfAbsent(sid.getAsLong(), k -> new ArrayList<>()).add(name + " " + comm(p));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return live;
    }

    /** Field 6 of /proc/PID/stat; empty for a process that is gone. A zombie counts: nobody reaped it. */
    private static OptionalLong session(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static String comm(Path proc) {
        try {
            return Files.readString(proc.resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
