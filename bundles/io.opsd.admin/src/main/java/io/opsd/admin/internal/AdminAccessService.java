package io.opsd.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsd.api.admin.AdminAccess;
import io.opsd.api.admin.AdminException;
import io.opsd.api.admin.AdminException.Code;
import io.opsd.api.admin.Caller;
import io.opsd.api.admin.Credentials;
import io.opsd.api.config.InvalidConfigurationException;

/** The admin token and the allowed certificate subjects of {@code io.opsd.admin}, checked on every call. */
@Component(configurationPid = AdminConfig.PID)
@Designate(ocd = AdminConfig.class)
public final class AdminAccessService implements AdminAccess {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccessService.class);
    static final String NOT_CONFIGURED = "node administration is not configured";

    private volatile AdminSettings settings;

    @Activate
    public AdminAccessService(AdminConfig config, Map<String, Object> props) {
        settings = read(config, props);
    }

    @Modified
    void modified(AdminConfig config, Map<String, Object> props) {
        settings = read(config, props);
    }

    private static AdminSettings read(AdminConfig config, Map<String, Object> props) {
        try {
            AdminSettings s = AdminSettings.of(config, props);
            LOG.info("node administration: {}", s.configured() ? String.join(", ", s.describe())
                : NOT_CONFIGURED + " (set admin_token or admin_subjects in io.opsd.admin)");
            return s;
        } catch (InvalidConfigurationException e) {
            LOG.error("node administration refused its configuration: {}", e.getMessage());
            throw e;
        }
    }

    @Override
    public Caller authenticate(Credentials credentials) throws AdminException {
        AdminSettings s = settings;
        if (!s.configured()) {
            throw new AdminException(Code.UNAUTHENTICATED, NOT_CONFIGURED);
        }
        if (credentials.certificateSubject().isPresent() && !s.subjects().isEmpty()) {
            String subject = credentials.certificateSubject().get();
            try {
                if (s.subjects().contains(AdminSettings.canonical(subject))) {
                    return new Caller(subject, credentials.peer());
                }
            } catch (IllegalArgumentException e) {
                // not a distinguished name: matches no subject
            }
        }
        if (!s.token().isEmpty() && credentials.bearerToken().isPresent()
            && MessageDigest.isEqual(credentials.bearerToken().get().getBytes(StandardCharsets.UTF_8),
                s.token().getBytes(StandardCharsets.UTF_8))) {
            return new Caller("token", credentials.peer());
        }
        if (credentials.bearerToken().isPresent()) {
            throw new AdminException(Code.UNAUTHENTICATED, "invalid admin token");
        }
        throw new AdminException(Code.UNAUTHENTICATED, credentials.certificateSubject().isPresent()
            ? "client certificate subject " + credentials.certificateSubject().get() + " is not in admin_subjects"
            : "missing admin credentials: send 'authorization: Bearer <admin_token>' or an allowed client certificate");
    }
}
