package io.opsd.grpc.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentState;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.store.DesiredState;
import io.opsd.api.store.MetadataStore;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.testing.fakes.FakeAgentManager;
import io.opsd.testing.fakes.InMemoryMetadataStore;

/** The interceptors around DaemonService, over an in-process transport. */
class ExceptionBarrierTest {

    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final CallsInFlight inFlight = new CallsInFlight();
    private Server server;
    private ManagedChannel channel;

    private final AgentManager agents = new FakeAgentManager(new AgentStatus("a1", "custom", "a1", AgentState.RUNNING,
        DesiredState.RUNNING, 42, Optional.of(Instant.ofEpochSecond(1_700_000_000L)), 2, Optional.empty(), "healthy",
        "", Optional.empty(), Optional.empty(), List.of())) {
        @Override
        public List<AgentStatus> agents() {
            if (broken.get()) {
                throw new IllegalStateException("a bug");
            }
            return super.agents();
        }
    };

    private final MetadataStore store = new InMemoryMetadataStore();

    private DaemonServiceGrpc.DaemonServiceBlockingStub start(String token) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
            .addService(ServerInterceptors.intercept(new DaemonServiceImpl(agents, store, Clock.systemUTC()),
                Interceptors.exceptionBarrier(), Interceptors.token(token), Interceptors.counting(inFlight)))
            .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void aBugBecomesInternalAndTheServerServesTheNextCall() throws Exception {
        var stub = start("");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
            () -> stub.listAgents(ListAgentsRequest.getDefaultInstance()));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("a bug"), e.getStatus().getDescription());
        broken.set(false);
        var info = stub.listAgents(ListAgentsRequest.getDefaultInstance()).getAgents(0);
        assertEquals("a1", info.getId());
        assertEquals(42, info.getPid());
        assertEquals(1_700_000_000L, info.getStartTime());
        assertEquals(2, info.getRestartCount());
        assertEquals("running", info.getStatus());
        assertEquals(0, inFlight.count(), "every call that ended was counted out, failed or not");
    }

    @Test
    void aDeliberateStatusIsAnsweredAsItIsNotAsInternal() throws Exception {
        var stub = start("");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.operateAgent(
            AgentOperationRequest.newBuilder().setAgentId("x").setOperation("stop").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("agent not found: x", e.getStatus().getDescription());
    }

    @Test
    void aWrongOrMissingTokenIsUnauthenticated() throws Exception {
        broken.set(false);
        var stub = start("s3cret");
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
            () -> stub.listAgents(ListAgentsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
        io.grpc.Metadata wrong = new io.grpc.Metadata();
        wrong.put(Interceptors.AUTHORIZATION, "Bearer guess");
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> stub
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(wrong))
            .listAgents(ListAgentsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        assertEquals("invalid bearer token", refused.getStatus().getDescription());
        io.grpc.Metadata right = new io.grpc.Metadata();
        right.put(Interceptors.AUTHORIZATION, "Bearer s3cret");
        assertEquals(1, stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(right))
            .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsCount());
        assertEquals(0, inFlight.count());
    }
}
