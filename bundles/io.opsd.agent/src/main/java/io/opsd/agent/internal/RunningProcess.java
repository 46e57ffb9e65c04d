package io.opsd.agent.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import io.opsd.api.store.LastExit;

/**
 * The process an agent runs as: started by this opsd, or adopted from the previous one, when it is no child of
 * this opsd and its exit status cannot be known.
 *
 * @param child the process as this opsd started it, or null when adopted
 * @param startTicks its start time in clock ticks after boot, which tells it from a later process with its pid
 */
record RunningProcess(Process child, ProcessHandle handle, long pid, long startTicks, Instant startTime) {

    static RunningProcess started(Process child, long startTicks, Instant startTime) {
        return new RunningProcess(child, child.toHandle(), child.pid(), startTicks, startTime);
    }

    /** The process {@code pid}, if it still exists. */
    static Optional<RunningProcess> adopted(long pid, long startTicks, Instant startTime) {
        return ProcessHandle.of(pid).map(h -> new RunningProcess(null, h, pid, startTicks, startTime));
    }

    /** The same process, as if adopted: a start that failed forgets the previous child, and so its exit status. */
    RunningProcess withoutChild() {
        return new RunningProcess(null, handle, pid, startTicks, startTime);
    }

    boolean alive() {
        return handle.isAlive();
    }

    boolean isChild() {
        return child != null;
    }

    CompletableFuture<?> onExit() {
        return child != null ? child.onExit() : handle.onExit();
    }

    /** How it ended; call once it has. */
    LastExit exit(Instant now) {
        if (child == null) {
            return new LastExit(now, OptionalInt.empty(), Optional.empty());
        }
        int code = child.exitValue();
        // a child killed by a signal reports 128 + the signal number
        return code > 128 && code < 160 ? LastExit.signal(now, ProcessControl.signalName(code - 128))
            : LastExit.code(now, code);
    }

    static String describe(LastExit exit) {
        if (exit.signal().isPresent()) {
            return "killed by " + exit.signal().get();
        }
        return exit.code().isPresent() ? "exit code " + exit.code().getAsInt() : "exit status unknown";
    }
}
