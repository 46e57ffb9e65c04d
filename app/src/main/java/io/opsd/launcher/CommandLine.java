package io.opsd.launcher;

import java.util.Optional;

/** The launcher's options. */
record CommandLine(boolean help, boolean version, Optional<String> home) {

    static CommandLine parse(String[] args) {
        boolean help = false;
        boolean version = false;
        String home = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--version") || arg.equals("-V")) {
                version = true;
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
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else {
                throw new IllegalArgumentException("unknown command " + arg);
            }
        }
        return new CommandLine(help, version, Optional.ofNullable(home));
    }

    static String usage() {
        return """
            Usage: java [JVM options] -jar opsd.jar [--home DIR]
                   java -jar opsd.jar --version | --help

            Runs the opsd node until SIGTERM or SIGINT (orderly stop, exit 0). SIGHUP re-reads the configuration.

            Options:
              --home DIR    home directory (default: -Dopsd.home, else $OPSD_HOME, else the current directory)
              --version     print the version and exit
              --help        print this text and exit

            Directories (relative ones are resolved against the home directory):
              -Dopsd.config.dir   configuration, one .cfg per PID, watched     (default runtime-config)
              -Dopsd.deploy.dir   bundles to hot-deploy                         (default deploy)
              -Dopsd.data.dir     state: node_id, store; framework cache        (default data)
              -Dopsd.log.dir      logs: opsd.log                                (default logs)
              -Dopsd.pid.file     PID file                                      (default data/opsd.pid)

            Exit codes: 0 stopped in order, 1 failed, 2 wrong command line, 3 a directory cannot be used,
            4 another opsd runs with the same PID file.
            """;
    }
}
