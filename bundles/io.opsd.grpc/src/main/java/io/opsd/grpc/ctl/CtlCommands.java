package io.opsd.grpc.ctl;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.opsd.api.text.ByteSizes;
import io.opsd.api.text.TextTable;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ResourceDataPoint;

/** The commands of {@code ctl} on an open channel; a gRPC failure is thrown to {@link Ctl}, which maps it. */
final class CtlCommands {

    private static final Duration READ = Duration.ofSeconds(30);
    /** the Manager's own deadline for OperateAgent: a stop may wait for the agent's stop.timeout */
    private static final Duration OPERATE = Duration.ofSeconds(90);
    private static final Duration HEALTH = Duration.ofSeconds(10);

    private final ManagedChannel channel;
    private final CtlOptions options;
    private final PrintStream out;
    private final PrintStream err;

    CtlCommands(ManagedChannel channel, CtlOptions options, PrintStream out, PrintStream err) {
        this.channel = channel;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    int run(List<String> w) {
        String command = w.get(0);
        if (CtlOptions.ADMIN_COMMANDS.contains(command)) {
            return new AdminCommands(channel, options, out, err).run(w);
        }
        return switch (command) {
            case "list" -> w.size() == 1 ? list() : usage("list takes no arguments");
            case "status" -> switch (w.size()) {
                case 1 -> health();
                case 2 -> status(w.get(1));
                default -> usage("status takes one agent id, or none for the node");
            };
            case "agents" -> w.size() == 1 ? agents() : usage("agents takes no arguments");
            case "start", "stop", "restart" -> w.size() == 2 ? operate(command, w.get(1))
                : usage(command + " needs one agent id");
            case "metrics" -> w.size() == 2 || w.size() == 3 ? metrics(w.get(1), w.size() == 3 ? w.get(2) : "3600")
                : usage("metrics needs an agent id and optionally a number of seconds");
            default -> usage("unknown command " + command + "; try 'ctl --help'");
        };
    }

    private int usage(String message) {
        err.println("opsd ctl: " + message);
        return Ctl.USAGE;
    }

    private List<AgentInfo> listAgents() {
        return DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(options.deadline(READ).toNanos(),
            TimeUnit.NANOSECONDS).listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList();
    }

    private Optional<AgentInfo> agent(String id) {
        return listAgents().stream().filter(a -> a.getId().equals(id)).findFirst();
    }

    private int list() {
        OldColumns.lines(listAgents(), ZoneId.systemDefault()).forEach(out::println);
        return Ctl.OK;
    }

    private int status(String id) {
        Optional<AgentInfo> agent = agent(id);
        if (agent.isEmpty()) {
            err.println("opsd ctl: agent not found: " + id);
            return Ctl.REFUSED;
        }
        OldColumns.lines(List.of(agent.get()), ZoneId.systemDefault()).forEach(out::println);
        return Ctl.OK;
    }

    private int agents() {
        TextTable table = new TextTable("ID", "TYPE", "VERSION", "STATUS", "PID", "RESTARTS", "STARTED",
            "LAST HEARTBEAT");
        for (AgentInfo a : listAgents()) {
            table.row(a.getId(), a.getType(), a.getVersion(), a.getStatus(), a.getPid() == 0 ? "" : a.getPid(),
                a.getRestartCount(), utc(a.getStartTime()), utc(a.getLastHeartbeat()));
        }
        table.print(out);
        return Ctl.OK;
    }

    private int operate(String operation, String id) {
        var answer = DaemonServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(options.deadline(OPERATE).toNanos(), TimeUnit.NANOSECONDS)
            .operateAgent(AgentOperationRequest.newBuilder().setAgentId(id).setOperation(operation).build());
        if (!answer.getSuccess()) {
            err.println("opsd ctl: " + answer.getErrorMessage());
            return Ctl.REFUSED;
        }
        Optional<AgentInfo> now = agent(id);
        if (now.isEmpty()) {
            err.println("opsd ctl: agent " + id + " is gone since the " + operation);
            return Ctl.REFUSED;
        }
        out.println("agent " + id + ": " + now.get().getStatus()
            + (now.get().getPid() == 0 ? "" : " (pid " + now.get().getPid() + ")"));
        return Ctl.OK;
    }

    private int metrics(String id, String secondsText) {
        long seconds;
        try {
            seconds = Long.parseLong(secondsText);
        } catch (NumberFormatException e) {
            return usage("\"" + secondsText + "\" is not a number of seconds");
        }
        List<ResourceDataPoint> points = DaemonServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(options.deadline(READ).toNanos(), TimeUnit.NANOSECONDS)
            .getAgentMetrics(AgentMetricsRequest.newBuilder().setAgentId(id).setDurationSeconds(seconds).build())
            .getDataPointsList();
        TextTable table = new TextTable("TIME", "CPU %", "RSS", "VMS", "READ", "WRITTEN", "FILES");
        for (ResourceDataPoint p : points) {
            table.row(utc(p.getTimestamp()), String.format(Locale.ROOT, "%.1f", p.getCpu()),
                ByteSizes.text(p.getMemoryRss()), ByteSizes.text(p.getMemoryVms()),
                ByteSizes.text(p.getDiskReadBytes()), ByteSizes.text(p.getDiskWriteBytes()), p.getOpenFiles());
        }
        table.print(out);
        return Ctl.OK;
    }

    private int health() {
        var health = HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(options.deadline(HEALTH).toNanos(), TimeUnit.NANOSECONDS)
            .check(HealthCheckRequest.newBuilder().setService("proto.DaemonService").build()).getStatus();
        Map<String, Integer> byStatus = new TreeMap<>();
        listAgents().forEach(a -> byStatus.merge(a.getStatus(), 1, Integer::sum));
        out.println("DaemonService: " + health);
        out.println("agents: " + byStatus.values().stream().mapToInt(Integer::intValue).sum()
            + (byStatus.isEmpty() ? "" : " " + byStatus));
        return Ctl.OK;
    }

    private static String utc(long unixSeconds) {
        return unixSeconds == 0 ? "" : Instant.ofEpochSecond(unixSeconds).toString();
    }
}
