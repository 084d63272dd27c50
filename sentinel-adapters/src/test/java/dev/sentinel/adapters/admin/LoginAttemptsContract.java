package dev.sentinel.adapters.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.MutableClock;
import dev.sentinel.adapters.admin.LoginAttempts.Admitted;
import dev.sentinel.adapters.admin.LoginAttempts.LockedOut;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every login-attempt counter must do, whatever it counts in. Subclasses give a
 * counter on a clock they share with the test.
 */
public abstract class LoginAttemptsContract {

    protected static final LoginPolicy POLICY = new LoginPolicy(3, Duration.ofMinutes(15),
            Duration.ofMinutes(10));

    protected final MutableClock clock = new MutableClock(Instant.parse(
            "2026-01-01T00:00:00Z"));

    /** Returns a counter with {@link #POLICY} on {@link #clock}, empty for this test. */
    protected abstract LoginAttempts counter();

    @Test
    void theAttemptPastTheLimitIsLockedOutForTheLockout() {
        LoginAttempts attempts = counter();
        IpAddress client = IpAddress.of("192.0.2.10");

        for (int i = 0; i < 3; i++) {
            assertThat(attempts.admit(client)).isInstanceOf(Admitted.class);
        }
        LoginAttempts.Admission fourth = attempts.admit(client);
        LoginAttempts.Admission fifth = attempts.admit(client);

        assertThat(fourth).isEqualTo(new LockedOut(Duration.ofMinutes(10), true));
        assertThat(fifth).isEqualTo(new LockedOut(Duration.ofMinutes(10), false));
    }

    @Test
    void aLockoutEndsWhenItsTimeIsUp() {
        LoginAttempts attempts = counter();
        IpAddress client = IpAddress.of("192.0.2.11");
        for (int i = 0; i < 4; i++) {
            attempts.admit(client);
        }

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        LoginAttempts.Admission almost = attempts.admit(client);
        clock.advance(Duration.ofMillis(1));
        LoginAttempts.Admission after = attempts.admit(client);

        assertThat(almost).isEqualTo(new LockedOut(Duration.ofMillis(1), false));
        assertThat(after).isInstanceOf(Admitted.class);
    }

    @Test
    void attemptsOutsideTheWindowStartANewCount() {
        LoginAttempts attempts = counter();
        IpAddress client = IpAddress.of("192.0.2.12");
        attempts.admit(client);
        attempts.admit(client);

        clock.advance(Duration.ofMinutes(15));

        for (int i = 0; i < 3; i++) {
            assertThat(attempts.admit(client)).isInstanceOf(Admitted.class);
        }
        assertThat(attempts.admit(client)).isInstanceOf(LockedOut.class);
    }

    @Test
    void aSuccessClearsTheCount() {
        LoginAttempts attempts = counter();
        IpAddress client = IpAddress.of("192.0.2.13");
        attempts.admit(client);
        attempts.admit(client);
        attempts.admit(client);

        attempts.succeeded(client);

        for (int i = 0; i < 3; i++) {
            assertThat(attempts.admit(client)).isInstanceOf(Admitted.class);
        }
    }

    @Test
    void addressesAreCountedApartButOneIpv6Slash64IsOneAddress() {
        LoginAttempts attempts = counter();
        for (int i = 0; i < 4; i++) {
            attempts.admit(IpAddress.of("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }

        assertThat(attempts.admit(IpAddress.of("2001:db8:1:2:ffff::1")))
                .isInstanceOf(LockedOut.class);
        assertThat(attempts.admit(IpAddress.of("2001:db8:1:3::1"))).isInstanceOf(Admitted.class);
        assertThat(attempts.admit(IpAddress.of("192.0.2.14"))).isInstanceOf(Admitted.class);
    }
}
