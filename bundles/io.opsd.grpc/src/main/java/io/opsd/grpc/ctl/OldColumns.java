package io.opsd.grpc.ctl;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.opsd.api.text.TextTable;
import io.opsd.grpc.daemon.AgentInfo;

/**
 * The old daemonctl's table of {@code list} and {@code status ID}, column for column, so scripts that read it keep
 * working: the last heartbeat in local time as Go's {@code "2006-01-02 15:04:05"}, a dash for no pid or no heartbeat.
 */
final class OldColumns {

    static final String[] HEADER = {"AGENT_ID", "TYPE", "STATUS", "PID", "LAST_HEARTBEAT"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private OldColumns() {
    }

    static List<String> lines(List<AgentInfo> agents, ZoneId zone) {
        TextTable table = new TextTable(HEADER);
        for (AgentInfo a : agents) {
            table.row(a.getId(), a.getType(), a.getStatus(), a.getPid() == 0 ? "" : a.getPid(),
                a.getLastHeartbeat() == 0 ? "" : TIME.format(Instant.ofEpochSecond(a.getLastHeartbeat()).atZone(zone)));
        }
        return table.lines();
    }
}
