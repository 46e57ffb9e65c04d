package io.opsd.grpc.server.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.api.agent.NoSuchAgentException;
import io.opsd.api.store.MetadataStore;
import io.opsd.api.store.ResourceSample;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentMetricsResponse;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.AgentOperationResponse;
import io.opsd.grpc.daemon.AgentState;
import io.opsd.grpc.daemon.ConfigRequest;
import io.opsd.grpc.daemon.ConfigResponse;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.HeartbeatRequest;
import io.opsd.grpc.daemon.HeartbeatResponse;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ListAgentsResponse;
import io.opsd.grpc.daemon.MetricsRequest;
import io.opsd.grpc.daemon.MetricsResponse;
import io.opsd.grpc.daemon.RegisterRequest;
import io.opsd.grpc.daemon.RegisterResponse;
import io.opsd.grpc.daemon.ResourceDataPoint;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;
import io.opsd.grpc.daemon.UpdateRequest;
import io.opsd.grpc.daemon.UpdateResponse;
import io.opsd.grpc.mapping.AgentMessages;

/**
 * {@code proto.DaemonService} with the old daemon's codes and messages (contracts.md §1.1), and the corrections of
 * §6: agents are listed from memory in id order; an operation answers when it has been carried out and the
 * process lives on after the call; an agent without samples has an empty history, not an error.
 */
final class DaemonServiceImpl extends DaemonServiceGrpc.DaemonServiceImplBase {

    static final Duration DEFAULT_METRICS_WINDOW = Duration.ofHours(1);

    private final AgentManager agents;
    private final MetadataStore store;
    private final Clock clock;

    DaemonServiceImpl(AgentManager agents, MetadataStore store, Clock clock) {
        this.agents = agents;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void listAgents(ListAgentsRequest request, StreamObserver<ListAgentsResponse> out) {
        ListAgentsResponse.Builder response = ListAgentsResponse.newBuilder();
        for (AgentStatus s : agents.agents()) { // id order
            response.addAgents(AgentMessages.info(s, store.get(s.id())));
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    @Override
    public void operateAgent(AgentOperationRequest request, StreamObserver<AgentOperationResponse> out) {
        String id = request.getAgentId();
        String operation = request.getOperation();
        if (id.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("agent_id is required").asRuntimeException();
        }
        Function<String, CompletionStage<AgentStatus>> action = switch (operation) {
            case "start" -> agents::start;
            case "stop" -> agents::stop;
            case "restart" -> agents::restart;
            default -> throw Status.INVALID_ARGUMENT.withDescription("invalid operation: " + operation
                + ", must be one of: start, stop, restart").asRuntimeException();
        };
        if (agents.agent(id).isEmpty()) {
            throw notFound(id);
        }
        CompletionStage<AgentStatus> done;
        try {
            done = action.apply(id);
        } catch (NoSuchAgentException e) {
            throw notFound(id);
        }
        // the operation runs on the agent's supervisor; the answer waits for it, the process never does
        done.whenComplete((status, failure) -> {
            if (((ServerCallStreamObserver<?>) out).isCancelled()) {
                return; // the Manager gave up waiting; the operation is carried out all the same
            }
            if (failure == null) {
                out.onNext(AgentOperationResponse.newBuilder().setSuccess(true).build());
                out.onCompleted();
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
                out.onError(cause instanceof NoSuchAgentException ? notFound(id)
                    : Status.INTERNAL.withDescription("failed to " + operation + " agent " + id + ": "
                        + cause.getMessage()).asRuntimeException());
            }
        });
    }

    @Override
    public void getAgentMetrics(AgentMetricsRequest request, StreamObserver<AgentMetricsResponse> out) {
        String id = request.getAgentId();
        if (id.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("agent_id is required").asRuntimeException();
        }
        if (agents.agent(id).isEmpty()) {
            throw notFound(id);
        }
        Duration window = request.getDurationSeconds() <= 0 ? DEFAULT_METRICS_WINDOW
            : Duration.ofSeconds(Math.min(request.getDurationSeconds(), Duration.ofDays(3650).toSeconds()));
        Instant now = clock.instant();
        AgentMetricsResponse.Builder response = AgentMetricsResponse.newBuilder().setAgentId(id);
        for (ResourceSample s : store.history(id, now.minus(window), now)) {
            response.addDataPoints(ResourceDataPoint.newBuilder()
                .setTimestamp(s.time().getEpochSecond())
                .setCpu(s.cpuPercent())
                .setMemoryRss(s.rssBytes())
                .setMemoryVms(s.vmsBytes())
                .setDiskReadBytes(s.diskReadBytes())
                .setDiskWriteBytes(s.diskWriteBytes())
                .setOpenFiles(s.openFiles()));
        }
        out.onNext(response.build());
        out.onCompleted();
    }

    /** On the daemon this only counts, as the old one did; the Manager is where the states mean something. */
    @Override
    public void syncAgentStates(SyncAgentStatesRequest request, StreamObserver<SyncAgentStatesResponse> out) {
        if (request.getNodeId().isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("node_id is required").asRuntimeException();
        }
        String message;
        if (request.getStatesCount() == 0) {
            message = "synced 0 agent states (empty list)";
        } else {
            long known = request.getStatesList().stream().map(AgentState::getAgentId)
                .filter(id -> agents.agent(id).isPresent()).count();
            message = "synced " + known + " agent states";
        }
        out.onNext(SyncAgentStatesResponse.newBuilder().setSuccess(true).setMessage(message).build());
        out.onCompleted();
    }

    // the five RPCs the old daemon left to its generated stubs, with the Go stubs' message

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
        out.onError(unimplemented("Register"));
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
        out.onError(unimplemented("Heartbeat"));
    }

    @Override
    public void reportMetrics(MetricsRequest request, StreamObserver<MetricsResponse> out) {
        out.onError(unimplemented("ReportMetrics"));
    }

    @Override
    public void getConfig(ConfigRequest request, StreamObserver<ConfigResponse> out) {
        out.onError(unimplemented("GetConfig"));
    }

    @Override
    public void pushUpdate(UpdateRequest request, StreamObserver<UpdateResponse> out) {
        out.onError(unimplemented("PushUpdate"));
    }

    private static RuntimeException unimplemented(String method) {
        return Status.UNIMPLEMENTED.withDescription("method " + method + " not implemented").asRuntimeException();
    }

    private static RuntimeException notFound(String id) {
        return Status.NOT_FOUND.withDescription("agent not found: " + id).asRuntimeException();
    }
}
