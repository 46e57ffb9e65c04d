package io.opsd.grpc.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opsd.grpc.daemon.AgentInfo;

class OldColumnsTest {

    /** 2024-03-01 12:34:56 UTC */
    private static final long HEARTBEAT = 1_709_296_496L;

    private static AgentInfo agent(String id, String type, String status, int pid, long heartbeat) {
        return AgentInfo.newBuilder().setId(id).setType(type).setStatus(status).setPid(pid).setLastHeartbeat(heartbeat)
            .setVersion("9.9").setStartTime(1).setRestartCount(3).build();
    }

    @Test
    void theOldDaemonctlColumnsAlignedAsGosTabwriterWithPaddingTwo() {
        List<String> lines = OldColumns.lines(List.of(agent("filebeat", "filebeat", "running", 4242, HEARTBEAT),
            agent("n1", "node_exporter", "stopped", 0, 0)), ZoneId.of("Europe/Berlin"));
        assertEquals(List.of(
            "AGENT_ID  TYPE           STATUS   PID   LAST_HEARTBEAT",
            "filebeat  filebeat       running  4242  2024-03-01 13:34:56",
            "n1        node_exporter  stopped  -     -"), lines);
    }

    @Test
    void theHeartbeatIsShownInTheGivenZone() {
        assertEquals("a         custom  running  7    2024-03-01 04:34:56", OldColumns.lines(
            List.of(agent("a", "custom", "running", 7, HEARTBEAT)), ZoneId.of("America/Los_Angeles")).get(1));
    }

    @Test
    void noAgentsIsTheHeaderAlone() {
        assertEquals(List.of("AGENT_ID  TYPE  STATUS  PID  LAST_HEARTBEAT"), OldColumns.lines(List.of(), ZoneId.of("UTC")));
    }
}
