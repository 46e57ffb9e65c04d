package io.opsd.grpc.ctl;

import java.io.File;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;

/**
 * {@code opsd ctl}: the local node's DaemonService from a terminal, as the old daemonctl did. Not part of the OSGi
 * runtime (a private package the bundle never loads); the launcher runs it, through {@link CtlTool}, on a class
 * loader made of this bundle and the jars it embeds.
 */
public final class Ctl {

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final String ADMIN_NOT_RUNNING = "node administration is not running";

    static final String HELP = """
        Usage: java -jar opsd.jar ctl [--address HOST:PORT] [--timeout DURATION] [--token T] [--ca FILE] COMMAND
          list                        the agents in the old daemonctl's columns:
                                      AGENT_ID TYPE STATUS PID LAST_HEARTBEAT (local time)
          status ID                   one agent in the same columns
          start|stop|restart ID       operate an agent; answers when it is done
          agents                      the agents with version, restarts and start time (times in UTC)
          metrics ID [SECONDS]        the agent's resource samples of the last SECONDS (default 3600)
          status                      the endpoint's health and the agents by state
        Node administration (opsd.admin.v1.NodeAdmin; needs the admin token, or a client certificate in admin_subjects):
          bundles                     the bundles with version, state, origin (core, deploy, admin) and components
          install FILE --signature SIG [--timeout-activation SECONDS]
                                      install or replace a bundle; SIG holds the raw 64-byte Ed25519 signature of
                                      FILE (dist/sign-bundle sign FILE KEY writes FILE.sig); answers once it is active
          uninstall NAME              uninstall an admin or deploy bundle by symbolic name
          config [PID]                the pids with their source, or one pid's properties and attributes
          config set PID KEY=VALUE... [--dry-run]
                                      set keys in the admin layer (--dry-run only validates); problems exit 1
          config unset PID KEY...     drop keys from the admin layer
          config delete PID           drop the admin layer of PID: the file's values apply again
        Options take one dash or two, and -flag=value too, as daemonctl's did:
          --address HOST:PORT         the node's DaemonService (--target is the same); default: the bind and port
                                      of the home's io.opsd.grpc.server.cfg, else 127.0.0.1:9091
          --timeout DURATION          deadline of each call, like 30s, 1m or 500ms (default 30s; 90s for
                                      start, stop and restart, which wait for the agent)
          --token T, --ca FILE        bearer token, and the CA that signed the node's certificate (TLS); default:
                                      token and tls.cert_file of the home's io.opsd.grpc.server.cfg, whose
                                      ${env:NAME} and ${property} references are substituted as the node does
          --home DIR                  the node's home, whose io.opsd.grpc.server.cfg gives the defaults
          --config-dir DIR            the directory of those files, when it is not the home's (the launcher
                                      gives the home's)
          --admin-token T             NodeAdmin's token; default: admin_token of the home's io.opsd.admin.cfg,
                                      else the environment variable OPSD_ADMIN_TOKEN
        Exit codes: 0 done, 1 the node refused or failed, 2 wrong command line, 3 the node cannot be reached.
        """;

    private Ctl() {
    }

    /** Runs one command, with defaults from the files of {@code --config-dir} substituted from env and properties. */
    static int run(String[] args, Map<String, String> env, Map<String, String> properties, PrintStream out,
                   PrintStream err) {
        CtlOptions options;
        try {
            options = CtlOptions.parse(args, dir -> dir.map(d -> NodeDefaults.read(d, env, properties))
                .orElse(NodeDefaults.NONE), env);
        } catch (IllegalArgumentException e) {
            err.println("opsd ctl: " + e.getMessage() + "; try 'ctl --help'");
            return USAGE;
        } catch (IllegalStateException e) {
            err.println("opsd ctl: " + e.getMessage());
            return USAGE;
        }
        if (options.help()) {
            out.print(HELP);
            return OK;
        }
        if (options.words().isEmpty()) {
            err.print(HELP);
            return USAGE;
        }
        // an event loop of its own, shut down before returning: the launcher closes this class loader next, and
        // grpc's shared event loops would linger and load classes after that
        NioEventLoopGroup loop = new NioEventLoopGroup(1);
        ManagedChannel channel;
        try {
            channel = channel(options, loop);
        } catch (Exception e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            err.println("opsd ctl: " + e.getMessage());
            return USAGE;
        }
        try {
            return new CtlCommands(channel, options, out, err).run(options.words());
        } catch (StatusRuntimeException e) {
            String code = e.getStatus().getCode().name();
            // the node answered, but its admin bundle is not running: a refusal, not an unreachable node
            boolean adminDown = ADMIN_NOT_RUNNING.equals(e.getStatus().getDescription());
            boolean unreachable = !adminDown && (code.equals("UNAVAILABLE") || code.equals("DEADLINE_EXCEEDED"));
            err.println("opsd ctl: " + code + (e.getStatus().getDescription() == null ? ""
                : ": " + e.getStatus().getDescription()) + (unreachable && code.equals("UNAVAILABLE")
                ? " (is a node listening on " + options.target() + "?)" : ""));
            return unreachable ? UNREACHABLE : REFUSED;
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

    private static ManagedChannel channel(CtlOptions options, NioEventLoopGroup loop) throws Exception {
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(options.target()).eventLoopGroup(loop)
            .channelType(NioSocketChannel.class).directExecutor();
        if (options.ca().isEmpty()) {
            b.usePlaintext();
        } else {
            b.sslContext(GrpcSslContexts.forClient().trustManager(new File(options.ca())).build());
        }
        b.intercept(new BearerTokens(options.token(), options.adminToken()));
        return b.build();
    }
}
