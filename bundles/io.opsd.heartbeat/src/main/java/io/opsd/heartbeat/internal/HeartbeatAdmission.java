package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.opsd.api.agent.AgentManager;
import io.opsd.api.agent.AgentStatus;
import io.opsd.heartbeat.HeartbeatIntake;

/**
 * Decodes and validates heartbeats, from any transport, and hands those that pass to the {@link HeartbeatReceiver},
 * with the contract's messages (contracts.md §3). The rules are checked in the old daemon's order: agent_id, then
 * pid, then cpu.
 */
@Component(service = HeartbeatIntake.class)
public final class HeartbeatAdmission implements HeartbeatIntake {

    private static final Result RECEIVED = new Result(Outcome.QUEUED, "heartbeat received");
    private static final Result FULL = new Result(Outcome.FULL, "worker pool is full, please retry later");
    private static final Result STOPPED = new Result(Outcome.STOPPED, "heartbeat receiver is stopped");

    private final HeartbeatReceiver receiver;
    private final AgentManager agents;
    private final HeartbeatDecoder decoder = new HeartbeatDecoder();

    @Activate
    public HeartbeatAdmission(@Reference(name = "receiver") HeartbeatReceiver receiver,
                              @Reference(name = "agents") AgentManager agents) {
        this.receiver = receiver;
        this.agents = agents;
    }

    @Override
    public Result offer(byte[] json, Instant receivedAt) {
        try {
            return admit(decoder.decode(json), receivedAt);
        } catch (HeartbeatDecoder.DecodeException e) {
            return malformed(e);
        }
    }

    @Override
    public Result offerByPid(byte[] json, Instant receivedAt) {
        HeartbeatRequest hb;
        try {
            hb = decoder.decode(json);
        } catch (HeartbeatDecoder.DecodeException e) {
            return malformed(e);
        }
        if (hb.pid() <= 0) {
            return invalid("pid: pid must be greater than 0");
        }
        Optional<String> agent = agents.agents().stream().filter(a -> a.pid() == hb.pid()).map(AgentStatus::id)
            .findFirst();
        if (agent.isEmpty()) {
            return invalid("pid: no agent runs with pid " + hb.pid());
        }
        return admit(new HeartbeatRequest(agent.get(), hb.pid(), hb.status(), hb.cpu(), hb.memory(), hb.timestamp()),
            receivedAt);
    }

    private Result admit(HeartbeatRequest hb, Instant receivedAt) {
        String invalid = validate(hb);
        if (invalid != null) {
            return invalid(invalid);
        }
        return switch (receiver.accept(hb, receivedAt)) {
            case QUEUED -> RECEIVED;
            case FULL -> FULL;
            case STOPPED -> STOPPED;
        };
    }

    private String validate(HeartbeatRequest hb) {
        if (hb.agentId().isEmpty()) {
            return "agent_id: agent_id is required";
        }
        if (!agents.isRegistered(hb.agentId())) {
            return "agent_id: agent_id not found in registry";
        }
        if (hb.pid() <= 0) {
            return "pid: pid must be greater than 0";
        }
        if (hb.cpu() < 0 || hb.cpu() > 100) {
            return "cpu: cpu must be between 0 and 100";
        }
        return null;
    }

    private static Result malformed(HeartbeatDecoder.DecodeException e) {
        return new Result(Outcome.MALFORMED, "invalid JSON format: " + e.getMessage());
    }

    private static Result invalid(String why) {
        return new Result(Outcome.INVALID, "validation failed: " + why);
    }
}
