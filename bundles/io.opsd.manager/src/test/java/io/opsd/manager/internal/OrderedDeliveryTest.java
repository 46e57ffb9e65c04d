package io.opsd.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Message;

import io.grpc.Status;
import io.opsd.api.node.NodeInfo;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.manager.MetricData;
import io.opsd.grpc.manager.RegisterNodeRequest;
import io.opsd.grpc.manager.ReportMetricsRequest;

class OrderedDeliveryTest {

    private static final NodeInfo NODE = new NodeInfo("n1", "host1", "10.0.0.5", "linux", "amd64", Map.of(), "1.0.0");

    @TempDir
    Path dir;

    private final ManualLoop loop = new ManualLoop();
    private final FakeManager manager = new FakeManager();

    /** The session and the delivery of one link, over the buffer in {@code dir}. */
    private final class Link {
        final DiskBuffer buffer;
        final ManagerSession session;
        final OrderedDelivery delivery;
        private final ManualLoop loop;
        private final FakeManager manager;

        Link() throws Exception {
            this(OrderedDeliveryTest.this.loop, OrderedDeliveryTest.this.manager);
        }

        Link(ManualLoop loop, FakeManager manager) throws Exception {
            this.loop = loop;
            this.manager = manager;
            buffer = new DiskBuffer(dir, 1 << 20, () -> { });
            Backoff backoff = new Backoff(Duration.ofSeconds(8), n -> 0);
            session = new ManagerSession(loop, manager, backoff, () -> NODE, List.of(), "manager:9090",
                Clock.systemUTC(), this::registered);
            delivery = new OrderedDelivery(loop, manager, session, backoff, buffer);
        }

        private void registered() {
            delivery.sendNext();
        }

        /** Registers with the fake Manager. */
        Link connected() {
            session.connect();
            assertInstanceOf(RegisterNodeRequest.class, manager.waiting());
            manager.take();
            loop.runReady();
            return this;
        }
    }

    private static ReportMetricsRequest report(String name) {
        return ReportMetricsRequest.newBuilder().setNodeId("n1")
            .addMetrics(MetricData.newBuilder().setType(name).setTimestamp(1)).build();
    }

    private static SyncAgentStatesRequest states(String agent) {
        return SyncAgentStatesRequest.newBuilder().setNodeId("n1")
            .addStates(AgentState.newBuilder().setAgentId(agent).setStatus("running")).build();
    }

    /** What the Manager took besides registrations, by name: report type or agent id. */
    private List<String> delivered() {
        return delivered(manager);
    }

    private static List<String> delivered(FakeManager manager) {
        List<String> names = new ArrayList<>();
        for (Message m : manager.taken) {
            if (m instanceof ReportMetricsRequest r) {
                names.add(r.getMetrics(0).getType());
            } else if (m instanceof SyncAgentStatesRequest s) {
                names.add(s.getStates(0).getAgentId());
            }
        }
        return names;
    }

    /** The Manager takes every call as it comes, until none waits. */
    private void takeAll() {
        takeAll(loop, manager);
    }

    private static void takeAll(ManualLoop loop, FakeManager manager) {
        while (manager.waitingCount() > 0) {
            manager.take();
            loop.runReady();
        }
    }

    @Test
    void reportsAndStatesGoOutOneAtATimeInTheOrderTheyWereMade() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(report("r1"));
        link.delivery.submit(states("a1"));
        link.delivery.submit(report("r2"));
        assertEquals(report("r1"), manager.waiting());
        assertEquals(1, manager.waitingCount(), "the next waits for the Manager's answer");
        manager.take();
        loop.runReady();
        assertEquals(states("a1"), manager.waiting());
        takeAll();
        assertEquals(List.of("r1", "a1", "r2"), delivered());
        assertEquals(0, link.buffer.size(), "delivered in memory, never written to disk");
    }

    @Test
    void whileTheManagerIsUnreachableEverythingWaitsOnDiskAndIsReplayedInOrderOnceItIsBack() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(report("r1"));
        link.delivery.submit(states("a1"));
        manager.fail(); // r1 in flight
        loop.runReady();
        link.delivery.submit(report("r2"));
        link.delivery.submit(states("a2"));
        assertEquals(0, manager.waitingCount(), "nothing is sent while the Manager is away");
        assertEquals(4, link.buffer.size(), "what was in memory went to disk, and so did what came after");

        loop.fireDelayed(); // the next registration attempt
        manager.take();
        loop.runReady();
        assertEquals(report("r1"), manager.waiting(), "the oldest goes first");
        link.delivery.submit(report("r3")); // behind what waits on disk, though the Manager is back
        takeAll();
        assertEquals(List.of("r1", "a1", "r2", "a2", "r3"), delivered());
        assertEquals(0, link.buffer.size());
    }

    @Test
    void whatTheManagerTookIsNeverSentAgain() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(report("r1"));
        manager.take();
        loop.runReady();
        link.delivery.submit(states("a1"));
        link.delivery.submit(report("r2"));
        manager.take(); // a1
        loop.runReady();
        manager.fail(); // r2
        loop.runReady();
        loop.fireDelayed();
        takeAll();
        assertEquals(List.of("r1", "a1", "r2"), delivered(), "only r2, whose delivery failed, is sent again");
    }

    @Test
    void whatTheManagerCouldNotStoreIsKeptInOrderAndSentAgainAfterTheBackoff() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(states("a1"));
        link.delivery.submit(report("r1"));
        manager.refuse("database unavailable");
        loop.runReady();
        assertEquals(0, manager.waitingCount());
        assertEquals(List.of(Duration.ofSeconds(1)), loop.delays());
        assertEquals(2, link.buffer.size());
        loop.fireDelayed();
        takeAll();
        assertEquals(List.of("a1", "r1"), delivered());
    }

    @Test
    void whatWaitsWhenTheLinkStopsIsSentFirstByTheNextLink() throws Exception {
        Link first = new Link().connected();
        first.delivery.submit(report("r1"));
        first.delivery.submit(states("a1"));
        first.delivery.keepUnsent(); // r1 is still in flight: without an answer it counts as not delivered

        ManualLoop nextLoop = new ManualLoop();
        FakeManager nextManager = new FakeManager();
        Link next = new Link(nextLoop, nextManager);
        next.delivery.submit(report("r2")); // before the Manager knows the node
        next.connected();
        takeAll(nextLoop, nextManager);
        assertEquals(List.of("r1", "a1", "r2"), delivered(nextManager));
        assertEquals(0, next.buffer.size());
    }

    @Test
    void anUnreadableBufferedEntryIsDroppedAndTheRestIsSent() throws Exception {
        Link link = new Link();
        link.buffer.append(DiskBuffer.Kind.REPORT, report("r1").toByteArray());
        link.buffer.append(DiskBuffer.Kind.STATES, new byte[] {(byte) 0xff, 0x01});
        link.buffer.append(DiskBuffer.Kind.STATES, states("a1").toByteArray());
        link.connected();
        takeAll();
        assertEquals(List.of("r1", "a1"), delivered());
        assertEquals(0, link.buffer.size());
    }

    @Test
    void beyondTheMemoryQueueItemsGoToDiskBehindTheOnesWaitingInMemory() throws Exception {
        Link link = new Link().connected();
        List<String> made = new ArrayList<>();
        for (int i = 0; i <= OrderedDelivery.MEMORY_QUEUE + 2; i++) {
            made.add("r" + i);
            link.delivery.submit(report("r" + i));
        }
        assertEquals(made.size(), link.buffer.size(), "once memory is full everything waits on disk, in order");
        takeAll();
        assertEquals(made, delivered());
        assertEquals(0, link.buffer.size());
    }

    @Test
    void whatIsMadeAfterAFailedHeartbeatIsSentAfterWhatWasMadeBefore() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(report("r1"));
        link.delivery.submit(states("a1"));
        link.session.lost(Status.UNAVAILABLE.asRuntimeException()); // a heartbeat failed while r1 is in flight
        link.delivery.submit(report("r2"));
        manager.fail(); // r1
        loop.runReady();
        loop.fireDelayed();
        takeAll();
        assertEquals(List.of("r1", "a1", "r2"), delivered());
    }

    @Test
    void anItemDeliveredWhileTheRestWentToDiskIsNotSentAgain() throws Exception {
        Link link = new Link().connected();
        link.delivery.submit(report("r1"));
        link.delivery.submit(states("a1"));
        link.session.lost(Status.UNAVAILABLE.asRuntimeException());
        link.delivery.submit(report("r2"));
        manager.take(); // r1 arrived after all
        loop.runReady();
        loop.fireDelayed();
        takeAll();
        assertEquals(List.of("r1", "a1", "r2"), delivered());
        assertEquals(0, link.buffer.size());
    }
}
