package io.opsd.admin.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;

/** Refreshes the wiring of a changed bundle and waits, within a limit, until the framework is done. */
final class FrameworkRefresh {

    private static final Duration REFRESH_LIMIT = Duration.ofSeconds(30);

    private final BundleContext context;

    FrameworkRefresh(BundleContext context) {
        this.context = context;
    }

    void refresh(Bundle bundle) throws AdminException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
            .refreshBundles(List.of(bundle), e -> done.countDown());
        try {
            if (!done.await(REFRESH_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AdminException(Code.UNAVAILABLE, "the framework did not refresh "
                    + bundle.getSymbolicName() + " within " + REFRESH_LIMIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(Code.UNAVAILABLE, "interrupted while refreshing " + bundle.getSymbolicName());
        }
    }
}
