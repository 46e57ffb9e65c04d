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

    /** @param opsdEnvironment opsd's own environment ({@code System.getenv()}), used only when the launch inherits it */
    static Map<String, String> of(AgentSettings.Launch launch, Map<String, String> opsdEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (launch.inheritEnv()) {
            env.putAll(opsdEnvironment);
        } else {
            env.put("PATH", PATH);
            env.put("LANG", "C.UTF-8");
        }
        env.put("HOME", launch.workDir().toString());
        env.put("OPSD_AGENT_ID", launch.id());
        launch.runAs().ifPresent(user -> {
            // setpriv keeps the environment: an inherited USER would still name opsd's user
            env.put("USER", user.name());
            env.put("LOGNAME", user.name());
        });
        env.putAll(launch.env());
        return env;
    }
}
