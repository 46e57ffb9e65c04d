package io.opsd.manager.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.manager.ReportMetricsRequest;

/**
 * Reports and state syncs go to the Manager one at a time, in the order they were made, so the Manager never
 * gets an older state after a newer one. While the Manager is away, or once anything waits on disk, or when too
 * much waits in memory, they go to the {@link DiskBuffer}, which is sent first, oldest first, once the Manager is
 * back; whatever is in memory then goes to disk before them, so everything on disk is older than anything in
 * memory. An item is either in memory or on disk, never both, and leaves once the Manager took it, so what was
 * delivered is not sent again (one whose answer was lost, a deadline, is). Runs on the {@link LinkLoop} only.
 */
final class OrderedDelivery {

    // the link's lines keep the logger name operators know and set levels by
    private static final Logger LOG = LoggerFactory.getLogger(ManagerLink.class);
    /** States and reports waiting in memory while one is in flight; beyond, they go to disk. */
    static final int MEMORY_QUEUE = 64;

    private final LinkLoop loop;
    private final ManagerCalls calls;
    private final ManagerSession session;
    private final Backoff backoff;
    private final DiskBuffer buffer;
    /** Waiting in memory, oldest first; never the one in flight. */
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    /** The item being sent, or null. */
    private Outgoing inFlight;

    /** A report or a state sync, to be sent in order; {@code bufferSequence} is 0 for one held in memory. */
    private record Outgoing(DiskBuffer.Kind kind, byte[] payload, long bufferSequence) {
    }

    /** {@code backoff} is the session's: a refusal waits as long as the next registration would. */
    OrderedDelivery(LinkLoop loop, ManagerCalls calls, ManagerSession session, Backoff backoff, DiskBuffer buffer) {
        this.loop = loop;
        this.calls = calls;
        this.session = session;
        this.backoff = backoff;
        this.buffer = buffer;
    }

    void submit(ReportMetricsRequest report) {
        submit(DiskBuffer.Kind.REPORT, report.toByteArray());
    }

    void submit(SyncAgentStatesRequest states) {
        submit(DiskBuffer.Kind.STATES, states.toByteArray());
    }

    private void submit(DiskBuffer.Kind kind, byte[] payload) {
        if (!session.registered() || buffer.size() > 0 || queue.size() >= MEMORY_QUEUE) {
            moveMemoryToDisk();
            keep(kind, payload);
        } else {
            queue.add(new Outgoing(kind, payload, 0));
        }
        sendNext();
    }

    /** Sends the oldest waiting item, first what is on disk, then what is in memory; one at a time. */
    void sendNext() {
        if (inFlight != null || !session.registered()) {
            return;
        }
        Outgoing next;
        try {
            next = buffer.oldest().map(e -> new Outgoing(e.kind(), e.payload(), e.sequence())).orElseGet(queue::poll);
        } catch (IOException e) {
            LOG.error("Manager link: cannot read the buffer: {}", e.toString());
            return;
        }
        if (next == null) {
            return;
        }
        CompletableFuture<String> sent;
        try {
            sent = send(next);
        } catch (InvalidProtocolBufferException e) {
            LOG.error("Manager link: a buffered {} is unreadable and is dropped: {}", next.kind(), e.getMessage());
            removeFromDisk(next);
            loop.execute(this::sendNext);
            return;
        }
        inFlight = next;
        sent.whenCompleteAsync((refusal, failure) -> {
            if (failure == null && refusal == null) {
                removeFromDisk(inFlight); // where it is now: it may have gone to disk while in flight
                inFlight = null;
                sendNext();
                return;
            }
            moveMemoryToDisk(); // not delivered: it stays ahead of what waits in memory
            inFlight = null;
            if (failure != null) {
                session.lost(failure);
            } else {
                // the Manager could not store it (a database error): keep it, in order, and try again later
                LOG.warn("Manager link: the Manager did not take a {} ({}); trying again in {} ms", next.kind(),
                    refusal, backoff.current().toMillis());
                loop.schedule(backoff.next(), this::sendNext);
            }
        }, loop);
    }

    /** The link stops: what was only in memory goes to disk, to be sent by the next link. */
    void keepUnsent() {
        List<Outgoing> unsent = new ArrayList<>();
        if (inFlight != null && inFlight.bufferSequence() == 0) {
            unsent.add(inFlight); // without an answer, it counts as not delivered
        }
        unsent.addAll(queue);
        for (Outgoing o : unsent) {
            try {
                buffer.append(o.kind(), o.payload());
            } catch (IOException e) {
                LOG.warn("Manager link: cannot keep an unsent {} on disk: {}", o.kind(), e.toString());
            }
        }
    }

    /** Something goes to disk: what is in memory is older, so it goes first, the item in flight at the head. */
    private void moveMemoryToDisk() {
        if (inFlight != null && inFlight.bufferSequence() == 0) {
            inFlight = new Outgoing(inFlight.kind(), inFlight.payload(), keep(inFlight.kind(), inFlight.payload()));
        }
        for (Outgoing o; (o = queue.poll()) != null;) {
            keep(o.kind(), o.payload());
        }
    }

    /** Its sequence on disk, or 0 when it could not be written. */
    private long keep(DiskBuffer.Kind kind, byte[] payload) {
        try {
            return buffer.append(kind, payload);
        } catch (IOException e) {
            LOG.error("Manager link: cannot buffer a {} on disk ({}); it is lost", kind, e.toString());
            return 0;
        }
    }

    private void removeFromDisk(Outgoing o) {
        if (o.bufferSequence() > 0) {
            try {
                buffer.remove(o.bufferSequence());
            } catch (IOException e) {
                LOG.warn("Manager link: cannot remove a delivered entry from the buffer: {}", e.toString());
            }
        }
    }

    /** Completes with null when delivered, with the Manager's message when it answered success=false. */
    private CompletableFuture<String> send(Outgoing o) throws InvalidProtocolBufferException {
        if (o.kind() == DiskBuffer.Kind.REPORT) {
            return calls.reportMetrics(ReportMetricsRequest.parseFrom(o.payload()))
                .thenApply(a -> a.getSuccess() ? null : a.getMessage());
        }
        return calls.syncAgentStates(SyncAgentStatesRequest.parseFrom(o.payload()))
            .thenApply(a -> a.getSuccess() ? null : a.getMessage());
    }
}
