/**
 * Agents: the third-party processes opsd supervises. {@link io.opsd.api.agent.AgentManager} lists and operates
 * them; {@link io.opsd.api.agent.AgentType} services (a whiteboard) know how to launch each kind;
 * {@link io.opsd.api.agent.AgentListener} services hear every state change.
 */
@Export
@Version("1.0.0")
package io.opsd.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
