package io.opsd.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One supervised agent: runtime-config/io.opsd.agent-&lt;id&gt;.cfg. In method names '__' is '_' and '_' is '.'. */
@ObjectClassDefinition(name = "opsd agent", description = "One supervised process: io.opsd.agent-<id>.cfg")
public @interface AgentConfig {

    @AttributeDefinition(name = "Id", required = false, description = "Stable id used by the Manager, the API and"
        + " log paths: 1 to 100 letters, digits, '_', '.' or '-'. Empty: the name in the file name"
        + " (io.opsd.agent-<id>.cfg).")
    String id() default "";

    @AttributeDefinition(name = "Type", description = "filebeat, telegraf, node_exporter, custom, or a type a"
        + " deployed bundle provides. The agent waits until its type is installed.")
    String type() default "custom";

    @AttributeDefinition(name = "Name", required = false, description = "Display name.")
    String name() default "";

    @AttributeDefinition(name = "Version", required = false, description = "The agent's version as the Manager"
        + " sees it (ListAgents): up to 100 printable characters without blanks. Empty: none.")
    String version() default "";

    @AttributeDefinition(name = "Binary", description = "Absolute path of the executable; started directly, never"
        + " through a shell.")
    String binary__path() default "";

    @AttributeDefinition(name = "Arguments", required = false, description = "One string, split on blanks; double"
        + " quotes group words. No shell expansion. Used by the custom type; other types build their own.")
    String args() default "";

    @AttributeDefinition(name = "Configuration file", required = false, description = "The agent's own"
        + " configuration file (filebeat -c, telegraf -config; custom: -config <file> before the arguments).")
    String config__file() default "";

    @AttributeDefinition(name = "Working directory", required = false, description = "Absolute path. Empty:"
        + " <data>/work/<id>, created.")
    String work__dir() default "";

    @AttributeDefinition(name = "Environment", required = false, description = "KEY=value pairs separated by"
        + " commas, added to a minimal clean environment (PATH, LANG, HOME, OPSD_AGENT_ID), or to opsd's own with"
        + " inherit_env.")
    String[] env() default {};

    @AttributeDefinition(name = "Inherit environment", description = "true: the agent starts with opsd's own"
        + " environment (as the old daemon's agents did), with HOME, OPSD_AGENT_ID and env on top; false: a clean"
        + " one.")
    boolean inherit__env() default false;

    @AttributeDefinition(name = "User", required = false, description = "Run the agent as this user (a name or a"
        + " numeric uid; its primary group and supplementary groups), through setpriv. Needs opsd running as root."
        + " Empty: opsd's own user.")
    String user() default "";

    @AttributeDefinition(name = "Enabled", description = "false: the agent is not started, and its heartbeats are"
        + " refused.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Health interval", description = "How often health is checked and resources are"
        + " sampled (1s to 1h). The first check comes one interval after the start.")
    String health_interval() default "30s";

    @AttributeDefinition(name = "Heartbeat timeout", description = "Restart the agent when no heartbeat arrived for"
        + " this long, such as 90s; 'disabled' turns the check off.")
    String health_heartbeat__timeout() default "90s";

    @AttributeDefinition(name = "HTTP probe", required = false, description = "http(s) URL that must answer 2xx.")
    String health_http__url() default "";

    @AttributeDefinition(name = "TCP probe", required = false, description = "host:port that must accept a"
        + " connection.")
    String health_tcp__address() default "";

    @AttributeDefinition(name = "CPU threshold", description = "Percent of one core used by the whole process tree"
        + " over the interval, such as 50; 0 or 'disabled' turns it off.")
    String health_cpu__threshold() default "50";

    @AttributeDefinition(name = "Memory threshold", description = "Resident memory of the whole process tree, such"
        + " as 500MiB or 524288000B; a bare number is bytes; 0 or 'disabled' turns it off.")
    String health_memory__threshold() default "500MiB";

    @AttributeDefinition(name = "Threshold duration", description = "A threshold must be exceeded this long before"
        + " the agent is restarted.")
    String health_threshold__duration() default "60s";

    @AttributeDefinition(name = "Restart policy", options = {
        @Option(label = "always", value = "always"), @Option(label = "on-failure", value = "on-failure"),
        @Option(label = "never", value = "never")},
        description = "always: restart whenever it ends; on-failure: only after a non-zero exit or a signal;"
            + " never.")
    String restart_policy() default "always";

    @AttributeDefinition(name = "Most restarts", description = "Automatic restarts in a row before the agent is"
        + " marked failed (it then stays stopped until an operator starts it).")
    int restart_max__retries() default 10;

    @AttributeDefinition(name = "Backoff base", description = "Wait before the n-th restart in a row:"
        + " min(base x 2^(n-1), max).")
    String restart_backoff__base() default "10s";

    @AttributeDefinition(name = "Backoff max", description = "Longest wait before a restart.")
    String restart_backoff__max() default "60s";

    @AttributeDefinition(name = "Reset after", description = "Running healthy this long resets the restart count.")
    String restart_reset__after() default "5m";

    @AttributeDefinition(name = "Stop timeout", description = "After SIGTERM to the process group, wait this long,"
        + " then SIGKILL.")
    String stop_timeout() default "30s";

    @AttributeDefinition(name = "Keep running on exit", description = "true: the agent survives opsd's exit, and"
        + " the next opsd adopts it. Its output then goes straight to agent.log.")
    boolean keep__running__on__exit() default false;

    @AttributeDefinition(name = "Log size", description = "agent.log is rotated at this size, such as 100MiB.")
    String log_max__size() default "100MiB";

    @AttributeDefinition(name = "Log files", description = "Rotated files kept (1 to 1000).")
    int log_max__files() default 7;

    @AttributeDefinition(name = "Compress logs", description = "gzip rotated files.")
    boolean log_compress() default true;

    String webconsole_configurationFactory_nameHint() default "agent {id}";
}
