package io.opsd.bench.soak;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import io.opsd.bench.node.Http;

/**
 * POST /heartbeat at a fixed rate, round robin over the steady agents, on one thread (so each agent's heartbeats
 * arrive in order). Every heartbeat carries a timestamp later than the agent's previous one, and the last one
 * acknowledged with 200 is remembered per agent: after the node's orderly stop the store must hold exactly that.
 */
final class HeartbeatLoad implements Runnable {

    private final Http http;
    private final List<String> agents;
    private final int perSecond;
    private final long endNanos;
    private final Map<String, Instant> lastAcknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopped;

    HeartbeatLoad(Http http, List<String> agents, int perSecond, long endNanos) {
        this.http = http;
        this.agents = agents;
        this.perSecond = perSecond;
        this.endNanos = endNanos;
    }

    @Override
    public void run() {
        long period = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        Instant previous = Instant.EPOCH;
        for (long i = 0; !stopped && System.nanoTime() - endNanos < 0; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            next += period;
            String agent = agents.get((int) (i % agents.size()));
            Instant now = Instant.now();
            Instant timestamp = now.isAfter(previous) ? now : previous.plusNanos(1000);
            previous = timestamp;
            int status = post(agent, timestamp);
            sent.incrementAndGet();
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            if (status == 200) {
                lastAcknowledged.put(agent, timestamp);
            }
        }
    }

    private int post(String agent, Instant timestamp) {
        try {
            return http.post("/heartbeat", "{\"agent_id\":\"" + agent + "\",\"pid\":4242,\"status\":\"soak\",\"cpu\":"
                + "1.5,\"memory\":1048576,\"timestamp\":\"" + timestamp + "\"}").status();
        } catch (IOException e) {
            failures.incrementAndGet();
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            return -1;
        }
    }

    void stop() {
        stopped = true;
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        AtomicLong ok = statuses.get(200);
        return ok == null ? 0 : ok.get();
    }

    Map<String, Instant> lastAcknowledged() {
        return lastAcknowledged;
    }

    /** Every status seen and how often; -1 for no answer at all. */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
