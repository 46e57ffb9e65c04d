package io.opsd.agent.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment an agent process starts with. By default a clean one ({@code PATH}, {@code LANG}); with
 * {@code inherit_env = true} opsd's own, as the old daemon gave its agents. Either way opsd sets {@code HOME} (the
 * work directory) and {@code OPSD_AGENT_ID}, by which the next opsd finds the orphans of an agent, and the agent's
 * {@code env} entries come last and win.
 */
final class AgentEnvironment {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private AgentEnvironment() {
    }

    /**
     * @param opsdEnvironment opsd's own environment ({@code System.getenv()}), used only when the launch inherits it
     * @param userName the user the agent is switched to, or null when it runs as opsd's own user
     */
    static Map<String, String> of(AgentSettings.Launch launch, Map<String, String> opsdEnvironment, String userName) {
        Map<String, String> env = new LinkedHashMap<>();
        if (launch.inheritEnv()) {
            env.putAll(opsdEnvironment);
        } else {
            env.put("PATH", PATH);
            env.put("LANG", "C.UTF-8");
        }
        env.put("HOME", launch.workDir().toString());
        env.put("OPSD_AGENT_ID", launch.id());
        if (userName != null) {
            // setpriv keeps the environment: an inherited USER would still name opsd's user
            env.put("USER", userName);
            env.put("LOGNAME", userName);
        }
        env.putAll(launch.env());
        return env;
    }
}
