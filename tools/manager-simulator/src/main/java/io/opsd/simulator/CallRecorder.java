package io.opsd.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Every call received, in arrival order; the oldest are dropped past {@link #CAPACITY}. Thread-safe. */
public final class CallRecorder {

    /** Enough for hours of a busy node; bounds memory when the simulator runs for days. */
    static final int CAPACITY = 100_000;

    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private long nextIndex;

    public synchronized RecordedCall record(String service, String rpc, long receivedAtMs, String peer,
        boolean authorization, String mode, String requestJson, String rejected) {
        RecordedCall call = new RecordedCall(nextIndex++, service, rpc, receivedAtMs, peer, authorization, mode,
            requestJson, rejected);
        calls.addLast(call);
        if (calls.size() > CAPACITY) {
            calls.removeFirst();
        }
        return call;
    }

    /** The calls with {@code index >= since}, of {@code rpc} only unless it is {@code null}. */
    public synchronized List<RecordedCall> calls(String rpc, long since) {
        return calls.stream().filter(c -> c.index() >= since).filter(c -> rpc == null || rpc.equals(c.rpc())).toList();
    }

    public synchronized void clear() {
        calls.clear();
    }
}
