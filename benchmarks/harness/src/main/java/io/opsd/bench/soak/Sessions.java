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
 * restarted. Sessions are learnt from the agents' state files, and checked by scanning /proc. Over an hour of crash
 * loops the kernel reuses pids: a session is known by its leader's pid and start time, so a new agent process that
 * got an old session's pid is not taken for that session's leftover (the kernel never hands out a pid that is still
 * some process's session id, so an old session that still holds a process keeps its pid). A session id is reused
 * once the session is empty, by any process that makes a session, also outside this node (a test suite run beside
 * the soak): a process counts as an agent's only when its environment carries the agent's id and a HOME under the
 * node's home, the marks opsd gives every process it starts.
 */
final class Sessions {

    private final Path nodeHome;

    /** session id → the agent that owned it and when it was replaced (0 while it is the agent's current one) */
    private final Map<Long, String> owner = new ConcurrentHashMap<>();
    private final Map<String, Long> current = new ConcurrentHashMap<>();
    private final Map<Long, Long> replacedAt = new ConcurrentHashMap<>();
    /** session id → its leader's start time (field 22 of /proc/PID/stat), -1 when it was gone when first seen */
    private final Map<Long, Long> leaderStart = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger known = new java.util.concurrent.atomic.AtomicInteger();

    Sessions(Path nodeHome) {
        this.nodeHome = nodeHome.toAbsolutePath().normalize();
    }

    /** Records the agent's current pid (0 when it has none). */
    void observe(String agent, long pid) {
        Long before = current.get(agent);
        if (before != null && before != pid && before > 0) {
            replacedAt.putIfAbsent(before, System.nanoTime());
        }
        if (pid > 0) {
            long start = startTime(pid);
            Long recorded = leaderStart.get(pid);
            if (recorded == null || (start > 0 && recorded > 0 && start != recorded)) {
                owner.put(pid, agent); // a new session, perhaps on a pid the kernel has handed out before
                leaderStart.put(pid, start);
                known.incrementAndGet();
            }
            replacedAt.remove(pid);
            current.put(agent, pid);
        } else {
            current.remove(agent);
        }
    }

    int known() {
        return known.get();
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
            long start = startTime(sid);
            Long recorded = leaderStart.get(sid);
            boolean reused = start > 0 && recorded != null && recorded > 0 && start != recorded;
            if (now - at > graceNanos && live.containsKey(sid) && !reused) {
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

    /** session id → "pid comm" of each live process in one of {@code sessions} that its agent started */
    private Map<Long, List<String>> liveSessions(Set<Long> sessions) {
        Map<Long, List<String>> live = new java.util.HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                OptionalLong sid = session(p);
                if (sid.isPresent() && sessions.contains(sid.getAsLong()) && startedFor(owner.get(sid.getAsLong()), p)) {
                    live.computeIfAbsent(sid.getAsLong(), k -> new ArrayList<>()).add(name + " " + comm(p));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return live;
    }

    /** The process carries {@code agent}'s id and a HOME under the node's home; false when it is gone. */
    private boolean startedFor(String agent, Path proc) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(proc.resolve("environ"));
        } catch (IOException e) {
            return false; // gone, or another user's
        }
        boolean id = false;
        boolean home = false;
        for (String entry : new String(environ, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
            id |= entry.equals("OPSD_AGENT_ID=" + agent);
            home |= entry.startsWith("HOME=") && Path.of(entry.substring(5)).normalize().startsWith(nodeHome);
        }
        return id && home;
    }

    /** Field 6 of /proc/PID/stat; empty for a process that is gone. A zombie counts: nobody reaped it. */
    private static OptionalLong session(Path proc) {
        long sid = statField(proc, 6);
        return sid < 0 ? OptionalLong.empty() : OptionalLong.of(sid);
    }

    /** Field 22 of /proc/PID/stat (clock ticks after boot); -1 for a process that is gone. */
    private static long startTime(long pid) {
        return statField(Path.of("/proc", Long.toString(pid)), 22);
    }

    /** A numeric field of /proc/PID/stat, counted from 1 as proc(5) does; -1 for a process that is gone. */
    private static long statField(Path proc, int field) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields[0] is field 3
            return Long.parseLong(fields[field - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
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
