package dev.algd.server.netconf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.opendaylight.netconf.shaded.sshd.common.session.Session;
import org.opendaylight.netconf.shaded.sshd.common.session.SessionHeartbeatController;
import org.opendaylight.netconf.shaded.sshd.common.session.SessionListener;
import org.opendaylight.netconf.shaded.sshd.common.session.helpers.SessionTimeoutListener;
import org.opendaylight.netconf.shaded.sshd.core.CoreModuleProperties;
import org.opendaylight.netconf.shaded.sshd.server.ServerFactoryManager;
import org.opendaylight.netconf.shaded.sshd.server.auth.password.UserAuthPasswordFactory;
import org.opendaylight.netconf.shaded.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.opendaylight.netconf.shaded.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.opendaylight.netconf.shaded.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.opendaylight.netconf.shaded.sshd.server.session.ServerSession;

/**
 * Who may open a NETCONF session and for how long: passwords from the users file, public keys from
 * {@code authorizedKeysDir/NAME} (OpenSSH authorized_keys format, one file per user), a host key kept in a
 * file, idle sessions closed after {@code idleTimeout}, at most {@code maxSessions} SSH sessions at once.
 */
public record SshAccess(PasswordFile users, Path authorizedKeysDir, Path hostKey, Duration idleTimeout,
        int maxSessions) {
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Configures the SSH server. sshd checks idle sessions from a timer its own server start-up schedules, which
     * OpenDaylight's transport never runs, so {@code timeoutChecks} runs sshd's checker every second instead.
     */
    void configure(ServerFactoryManager factory, ScheduledExecutorService timeoutChecks) {
        factory.setUserAuthFactories(authorizedKeysDir == null ? List.of(UserAuthPasswordFactory.INSTANCE)
                : List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE));
        factory.setPasswordAuthenticator((user, password, session) -> users.authenticated(user, password));
        if (authorizedKeysDir != null) {
            factory.setPublickeyAuthenticator(this::publicKeyAccepted);
        }
        factory.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        // OpenDaylight's transport sends SSH_MSG_IGNORE heartbeats, which count as activity: without turning them
        // off, no session would ever be idle. A dead peer is still found by TCP and by the idle timeout itself.
        factory.setSessionHeartbeat(SessionHeartbeatController.HeartbeatType.NONE, Duration.ZERO);
        CoreModuleProperties.IDLE_TIMEOUT.set(factory, idleTimeout);
        SessionTimeoutListener timeouts = new SessionTimeoutListener();
        factory.addSessionListener(timeouts);
        timeoutChecks.scheduleWithFixedDelay(timeouts, 1, 1, TimeUnit.SECONDS);
        AtomicInteger open = new AtomicInteger();
        factory.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                if (open.incrementAndGet() > maxSessions) {
                    session.close(true);
                }
            }

            @Override
            public void sessionClosed(Session session) {
                open.decrementAndGet();
            }
        });
    }

    private boolean publicKeyAccepted(String user, PublicKey key, ServerSession session) {
        if (!USER_NAME.matcher(user).matches()) {
            return false;
        }
        Path keys = authorizedKeysDir.resolve(user);
        return Files.isRegularFile(keys) && new AuthorizedKeysAuthenticator(keys).authenticate(user, key, session);
    }
}
