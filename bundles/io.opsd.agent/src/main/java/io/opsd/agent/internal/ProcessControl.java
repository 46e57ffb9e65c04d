package io.opsd.agent.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Signals to whole process groups, and the wrappers that start an agent in a group of its own. Java can start a
 * process but not make it a session leader nor signal a group, so: {@code setsid} (util-linux) makes the agent
 * lead a new session and process group (its pid is the group id), {@code setpriv --pdeathsig KILL} makes the
 * kernel kill it if opsd dies without stopping it, and {@code kill(-pgid, sig)} through libc reaches the agent and
 * everything it forked; {@code setpriv --reuid --regid --init-groups} runs it as another user. Neither wrapper is a
 * shell: the agent's binary and arguments are passed as they are.
 */
final class ProcessControl {

    static final int SIGTERM = 15;
    static final int SIGKILL = 9;
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final int ESRCH = 3;

    /** libc, through JNA. */
    public interface LibC extends Library {
        int kill(int pid, int signal);
    }

    private final LibC libc;

    ProcessControl() {
        this.libc = Native.load("c", LibC.class);
    }

    /**
     * The wrapper words to put before the agent's command line. With {@code runAs}, setpriv also switches to that
     * user, its primary group and its supplementary groups; it sets the death signal after the switch, which would
     * otherwise clear it.
     */
    static List<String> wrapper(boolean dieWithOpsd, Optional<Accounts.Account> runAs) {
        if (!Files.isExecutable(SETSID)) {
            throw new IllegalStateException(SETSID + " is missing: install util-linux");
        }
        if (!dieWithOpsd && runAs.isEmpty()) {
            return List.of(SETSID.toString());
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new IllegalStateException(SETPRIV + " is missing: install util-linux");
        }
        List<String> words = new ArrayList<>(List.of(SETSID.toString(), SETPRIV.toString()));
        if (dieWithOpsd) {
            words.addAll(List.of("--pdeathsig", "KILL"));
        }
        runAs.ifPresent(a -> words.addAll(List.of("--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups")));
        words.add("--");
        return List.copyOf(words);
    }

    /** Sends {@code signal} to the process group {@code pgid}; false when the group no longer exists. */
    boolean signalGroup(long pgid, int signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        int rc = libc.kill((int) -pgid, signal);
        return rc == 0 || Native.getLastError() != ESRCH;
    }

    /** Sends {@code signal} to the one process {@code pid}; false when it is gone. */
    boolean signalProcess(long pid, int signal) {
        if (pid <= 1) {
            throw new IllegalArgumentException("refusing to signal process " + pid);
        }
        return libc.kill((int) pid, signal) == 0;
    }

    /**
     * Sends {@code signal} to the group, and to every other process of the session {@code sid} (a descendant
     * that made a process group of its own stays in the agent's session). Each process gets it once: a second
     * SIGTERM would run a shell's trap again, and many programs take it to mean "quit now". False when nothing was
     * left.
     */
    boolean signalSession(ProcFs procFs, long sid, int signal) {
        boolean any = signalGroup(sid, signal);
        for (long member : procFs.sessionMembersOutsideGroup(sid)) {
            if (member > 1 && libc.kill((int) member, signal) == 0) {
                any = true;
            }
        }
        return any;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }
}
