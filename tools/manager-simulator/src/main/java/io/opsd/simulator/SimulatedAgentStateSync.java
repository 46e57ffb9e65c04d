package io.opsd.simulator;

import static io.opsd.simulator.SimulatedManagerService.missingNodeId;
import static io.opsd.simulator.SimulatedManagerService.reply;

import java.time.Clock;

import io.grpc.stub.StreamObserver;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.SyncAgentStatesRequest;
import io.opsd.grpc.daemon.SyncAgentStatesResponse;

/**
 * proto.DaemonService/SyncAgentStates as the Manager serves it on its own address (contracts.md §2). The other
 * DaemonService RPCs keep the generated UNIMPLEMENTED answer: only nodes serve them.
 */
final class SimulatedAgentStateSync extends DaemonServiceGrpc.DaemonServiceImplBase {

    private final AgentStateStore states;
    private final FaultResponder faults;
    private final Clock clock;

    SimulatedAgentStateSync(AgentStateStore states, FaultResponder faults, Clock clock) {
        this.states = states;
        this.faults = faults;
        this.clock = clock;
    }

    @Override
    public void syncAgentStates(SyncAgentStatesRequest request, StreamObserver<SyncAgentStatesResponse> response) {
        Mode mode = CallMode.current();
        if (faults.answered(mode, SimulatedRpc.SYNC_AGENT_STATES, response)
            || missingNodeId(request.getNodeId(), response)) {
            return;
        }
        if (mode == Mode.UNSUCCESSFUL) {
            // the Manager's database error: status OK, success=false, and the node retries these states
            reply(response, answer(false, "failed to sync agent states: database error (simulated)"));
        } else if (request.getStatesCount() == 0) {
            reply(response, answer(true, "synced 0 agent states (empty list)"));
        } else {
            int stored = states.upsert(request.getNodeId(), request.getStatesList(), clock.millis());
            reply(response, answer(true, "synced " + stored + " agent states"));
        }
    }

    private static SyncAgentStatesResponse answer(boolean success, String message) {
        return SyncAgentStatesResponse.newBuilder().setSuccess(success).setMessage(message).build();
    }
}
