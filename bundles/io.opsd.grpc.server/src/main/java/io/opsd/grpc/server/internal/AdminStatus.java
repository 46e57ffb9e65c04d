package io.opsd.grpc.server.internal;

import io.grpc.Status;
import io.opsd.api.admin.AdminException;

/** An {@link AdminException} as the gRPC status of the same name: the API's codes are named after gRPC's. */
final class AdminStatus {

    static final String NOT_RUNNING = "node administration is not running";

    private AdminStatus() {
    }

    static Status of(AdminException e) {
        return Status.fromCode(Status.Code.valueOf(e.code().name())).withDescription(e.getMessage());
    }

    static Status notRunning() {
        return Status.UNAVAILABLE.withDescription(NOT_RUNNING);
    }
}
