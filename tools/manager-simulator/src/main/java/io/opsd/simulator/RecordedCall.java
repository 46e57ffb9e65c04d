package io.opsd.simulator;

/**
 * One call the simulator received.
 *
 * @param index          position in the record since the simulator started (stays increasing across a reset)
 * @param service        full service name, {@code manager.ManagerService} or {@code proto.DaemonService}
 * @param rpc            bare method name, {@code RegisterNode}
 * @param receivedAtMs   Unix milliseconds when the request arrived
 * @param peer           the client's address, {@code 127.0.0.1:41234}
 * @param authorization  whether the call carried an {@code authorization} header (its value is never kept)
 * @param mode           the {@link Mode} it was answered with, or {@code null} for an RPC the simulator does not serve
 * @param requestJson    the request as proto3 JSON with proto field names, or {@code null} for a rejected call
 * @param rejected       the status code when the call was refused before its request was read
 *                       ({@code UNAUTHENTICATED}), else {@code null}
 */
public record RecordedCall(
    long index,
    String service,
    String rpc,
    long receivedAtMs,
    String peer,
    boolean authorization,
    String mode,
    String requestJson,
    String rejected) {
}
