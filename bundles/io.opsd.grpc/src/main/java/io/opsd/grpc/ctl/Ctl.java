package io.opsd.grpc.ctl;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.MetadataUtils;
import io.opsd.grpc.daemon.AgentInfo;
import io.opsd.grpc.daemon.AgentMetricsRequest;
import io.opsd.grpc.daemon.AgentOperationRequest;
import io.opsd.grpc.daemon.DaemonServiceGrpc;
import io.opsd.grpc.daemon.ListAgentsRequest;
import io.opsd.grpc.daemon.ResourceDataPoint;

/**
 * {@code opsd ctl}: the local node's DaemonService from a terminal, as the old daemonctl did. Not part of the OSGi
 * runtime (a private package the bundle never loads); the launcher runs it on a class loader made of this bundle
 * and the jars it embeds.
 */
public final class Ctl {

    private static final String USAGE = """
        Usage: java -jar opsd.jar ctl [--target HOST:PORT] [--token T] [--ca FILE] COMMAND
          agents                      the agents, as the Manager sees them
          start|stop|restart ID       operate an agent; answers when it is done
          metrics ID [SECONDS]        the agent's resource samples of the last SECONDS (default 3600)
          status                      the endpoint's health and the agents by state
        The target, token and TLS come from the node's io.opsd.grpc.server configuration unless given.
        Exit codes: 0 done, 1 the node refused or failed, 2 wrong command line, 3 the node cannot be reached.
        """;

    private Ctl() {
    }

    /** Runs one command; {@code defaults} holds target, token and ca read from the node's configuration. */
    public static int run(String[] args, Map<String, String> defaults, PrintStream out, PrintStream err) {
        String target = defaults.getOrDefault("target", "127.0.0.1:9091");
        String token = defaults.getOrDefault("token", "");
        String ca = defaults.getOrDefault("ca", "");
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = value(args, ++i);
                case "--token" -> token = value(args, ++i);
                case "--ca" -> ca = value(args, ++i);
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> words.add(args[i]);
            }
        }
        if (words.isEmpty() || words.contains(null)) {
            err.print(USAGE);
            return 2;
        }
        // an event loop of its own, shut down before returning: the launcher closes this class loader next, and
        // grpc's shared event loops would linger and load classes after that
        NioEventLoopGroup loop = new NioEventLoopGroup(1);
        ManagedChannel channel;
        try {
            channel = channel(target, token, ca, loop);
        } catch (Exception e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            err.println("opsd ctl: " + e.getMessage());
            return 2;
        }
        try {
            return command(words, channel, out, err);
        } catch (StatusRuntimeException e) {
            String code = e.getStatus().getCode().name();
            err.println("opsd ctl: " + code + (e.getStatus().getDescription() == null ? ""
                : ": " + e.getStatus().getDescription()) + (code.equals("UNAVAILABLE") ? " (is a node listening on "
                + target + "?)" : ""));
            return code.equals("UNAVAILABLE") || code.equals("DEADLINE_EXCEEDED") ? 3 : 1;
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static String value(String[] args, int i) {
        return i < args.length ? args[i] : null;
    }

    private static ManagedChannel channel(String target, String token, String ca, NioEventLoopGroup loop)
        throws Exception {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(target).eventLoopGroup(loop)
            .channelType(NioSocketChannel.class).directExecutor();
        if (ca.isEmpty()) {
            b.usePlaintext();
        } else {
            b.sslContext(GrpcSslContexts.forClient().trustManager(new File(ca)).build());
        }
        if (!token.isEmpty()) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            b.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return b.build();
    }

    private static int command(List<String> w, ManagedChannel channel, PrintStream out, PrintStream err) {
        var stub = DaemonServiceGrpc.newBlockingStub(channel);
        switch (w.get(0)) {
            case "agents" -> {
                List<AgentInfo> agents = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "TYPE", "VERSION", "STATUS", "PID", "RESTARTS", "STARTED", "LAST HEARTBEAT"});
                for (AgentInfo a : agents) {
                    rows.add(new String[] {a.getId(), a.getType(), dash(a.getVersion()), a.getStatus(),
                        a.getPid() == 0 ? "-" : Integer.toString(a.getPid()), Integer.toString(a.getRestartCount()),
                        time(a.getStartTime()), time(a.getLastHeartbeat())});
                }
                print(rows, out);
                return 0;
            }
            case "start", "stop", "restart" -> {
                if (w.size() != 2) {
                    err.println("opsd ctl: " + w.get(0) + " needs one agent id");
                    return 2;
                }
                var answer = stub.withDeadlineAfter(90, TimeUnit.SECONDS).operateAgent(AgentOperationRequest
                    .newBuilder().setAgentId(w.get(1)).setOperation(w.get(0)).build());
                if (!answer.getSuccess()) {
                    err.println("opsd ctl: " + answer.getErrorMessage());
                    return 1;
                }
                AgentInfo now = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance()).getAgentsList().stream()
                    .filter(a -> a.getId().equals(w.get(1))).findFirst().orElseThrow();
                out.println("agent " + now.getId() + ": " + now.getStatus()
                    + (now.getPid() == 0 ? "" : " (pid " + now.getPid() + ")"));
                return 0;
            }
            case "metrics" -> {
                if (w.size() < 2 || w.size() > 3) {
                    err.println("opsd ctl: metrics needs an agent id and optionally a number of seconds");
                    return 2;
                }
                long seconds;
                try {
                    seconds = w.size() == 3 ? Long.parseLong(w.get(2)) : 3600;
                } catch (NumberFormatException e) {
                    err.println("opsd ctl: \"" + w.get(2) + "\" is not a number of seconds");
                    return 2;
                }
                List<ResourceDataPoint> points = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getAgentMetrics(AgentMetricsRequest.newBuilder().setAgentId(w.get(1))
                        .setDurationSeconds(seconds).build()).getDataPointsList();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"TIME", "CPU %", "RSS", "VMS", "READ", "WRITTEN", "FILES"});
                for (ResourceDataPoint p : points) {
                    rows.add(new String[] {time(p.getTimestamp()), String.format(Locale.ROOT, "%.1f", p.getCpu()),
                        bytes(p.getMemoryRss()), bytes(p.getMemoryVms()), bytes(p.getDiskReadBytes()),
                        bytes(p.getDiskWriteBytes()), Integer.toString(p.getOpenFiles())});
                }
                print(rows, out);
                return 0;
            }
            case "status" -> {
                var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("proto.DaemonService").build()).getStatus();
                Map<String, Integer> byStatus = new TreeMap<>();
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgentsList().forEach(a -> byStatus.merge(a.getStatus(), 1, Integer::sum));
                out.println("DaemonService: " + health);
                out.println("agents: " + byStatus.values().stream().mapToInt(Integer::intValue).sum()
                    + (byStatus.isEmpty() ? "" : " " + byStatus));
                return 0;
            }
            default -> {
                err.println("opsd ctl: unknown command " + w.get(0) + "; try 'ctl --help'");
                return 2;
            }
        }
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String time(long unixSeconds) {
        return unixSeconds == 0 ? "-" : Instant.ofEpochSecond(unixSeconds).toString();
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    /** Left-aligned columns two spaces apart. */
    private static void print(List<String[]> rows, PrintStream out) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
