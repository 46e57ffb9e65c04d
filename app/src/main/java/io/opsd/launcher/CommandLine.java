package io.opsd.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's options. {@code importConfig} holds what follows the {@code import-config} command (which must
 * come first), and is empty when the node is to run; {@code ctl} likewise. {@code cds} is present (holding the
 * {@code --archive} option, if given) for the {@code cds} command.
 */
record CommandLine(boolean help, boolean version, Optional<String> home, Optional<List<String>> importConfig,
                   Optional<List<String>> ctl, Optional<Optional<String>> cds) {

    static final String IMPORT_CONFIG = "import-config";
    static final String CTL = "ctl";
    static final String CDS = "cds";

    CommandLine(boolean help, boolean version, Optional<String> home, Optional<List<String>> importConfig,
        Optional<List<String>> ctl) {
        this(help, version, home, importConfig, ctl, Optional.empty());
    }

    static CommandLine parse(String[] args) {
        if (args.length > 0 && args[0].equals(IMPORT_CONFIG)) {
            return new CommandLine(false, false, Optional.empty(),
                Optional.of(List.copyOf(Arrays.asList(args).subList(1, args.length))), Optional.empty());
        }
        // ctl [--home DIR] ...: the home only says where the node's gRPC configuration is
        if (args.length > 0 && args[0].equals(CTL)) {
            List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
            String home = null;
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                if (arg.equals("--home") || arg.equals("-home")) {
                    home = directory(arg, i + 1 < rest.size() ? rest.get(i + 1) : null);
                    rest.subList(i, i + 2).clear();
                    i--;
                } else if (arg.startsWith("--home=") || arg.startsWith("-home=")) {
                    home = directory(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
                    rest.remove(i);
                    i--;
                }
            }
            return new CommandLine(false, false, Optional.ofNullable(home), Optional.empty(),
                Optional.of(List.copyOf(rest)));
        }
        boolean cds = args.length > 0 && args[0].equals(CDS);
        String archive = null;
        boolean help = false;
        boolean version = false;
        String home = null;
        for (int i = cds ? 1 : 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--version") || arg.equals("-version") || arg.equals("-V")) {
                version = true;
            } else if (arg.equals("-config") || arg.equals("--config")) {
                throw new OldConfigFlag(i + 1 < args.length ? args[i + 1] : "daemon.yaml");
            } else if (arg.startsWith("-config=") || arg.startsWith("--config=")) {
                throw new OldConfigFlag(arg.substring(arg.indexOf('=') + 1));
            } else if (arg.equals("--home")) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    throw new IllegalArgumentException("--home needs a directory");
                }
                home = args[++i];
            } else if (arg.startsWith("--home=")) {
                home = arg.substring("--home=".length());
                if (home.isBlank()) {
                    throw new IllegalArgumentException("--home needs a directory");
                }
            } else if (cds && arg.equals("--archive")) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    throw new IllegalArgumentException("--archive needs a file");
                }
                archive = args[++i];
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else {
                throw new IllegalArgumentException("unknown command " + arg);
            }
        }
        return new CommandLine(help, version, Optional.ofNullable(home), Optional.empty(), Optional.empty(),
            cds ? Optional.of(Optional.ofNullable(archive)) : Optional.empty());
    }

    private static String directory(String flag, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " needs a directory");
        }
        return value;
    }

    static String usage() {
        return """
            Usage: java [JVM options] -jar opsd.jar [--home DIR]
                   java -jar opsd.jar import-config daemon.yaml --out DIR
                   java -jar opsd.jar ctl [--home DIR] [--address HOST:PORT] [--timeout DURATION] COMMAND
                   java [JVM options] -jar opsd.jar cds [--home DIR] [--archive FILE]
                   java -jar opsd.jar --version | --help

            Runs the opsd node until SIGTERM or SIGINT (orderly stop, exit 0). SIGHUP re-reads the configuration.
            SIGQUIT prints the JVM's thread dump to standard output; the node keeps running.

            Commands:
              ctl list | status [ID] | start ID | stop ID | restart ID | agents | metrics ID [SECONDS]
                            the local node's gRPC DaemonService from a terminal, like the old daemonctl (address
                            and token from the home's io.opsd.grpc.server.cfg; exit 0 done, 1 refused, 2 wrong
                            command line, 3 node unreachable). 'ctl --help' says more.
              cds           write a class data archive (default DATA/cds/opsd.jsa) by starting and stopping a
                            training node with the same JVM options on a home of its own; a node started with
                            -XX:SharedArchiveFile=FILE then starts about a second sooner (exit 0 written, 1 failed).
                            The archive fits this opsd.jar and this JVM only: write it again after an upgrade.
              import-config daemon.yaml --out DIR
                            write the old daemon's YAML configuration as one .cfg per PID into DIR; warnings on
                            standard error name every key not carried over (exit 0 written, 1 YAML unreadable,
                            2 wrong command line, 3 DIR not writable). 'import-config --help' says more.

            Options:
              --home DIR    home directory (default: -Dopsd.home, else $OPSD_HOME, else the current directory)
              --version     print the version and exit (-version too)
              --help        print this text and exit (-help, -h too)

            Directories (relative ones are resolved against the home directory):
              -Dopsd.config.dir   configuration, one .cfg per PID, watched     (default runtime-config)
              -Dopsd.deploy.dir   bundles to hot-deploy                         (default deploy)
              -Dopsd.data.dir     state: node_id, store; framework cache        (default data)
              -Dopsd.log.dir      logs: opsd.log                                (default logs)
              -Dopsd.pid.file     PID file                                      (default data/opsd.pid)

            The old daemon's -config daemon.yaml is refused with the way to convert it (import-config).

            Exit codes: 0 stopped in order, 1 failed, 2 wrong command line, 3 a directory cannot be used,
            4 another opsd runs with the same PID file.
            """;
    }
}
