package io.opsd.heartbeat.internal;

import java.time.Instant;
import java.util.Optional;

/** One decoded heartbeat body (contracts.md §3). Absent numbers are 0, as the old daemon's Go decoder left them. */
record HeartbeatRequest(String agentId, long pid, String status, double cpu, long memory, Optional<Instant> timestamp) {
}
