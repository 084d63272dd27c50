package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.TestRedis;
import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginAttempts.LockedOut;
import dev.sentinel.adapters.admin.LoginAttemptsContract;
import dev.sentinel.adapters.local.LocalStores;
import dev.sentinel.domain.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis counter keeps the contract, and replicas on one prefix share it. */
class RedisLoginAttemptsIT extends LoginAttemptsContract {

    private static final List<String> PREFIXES = new ArrayList<>();
    private static RedisStores stores;

    @BeforeAll
    static void connect() {
        stores = RedisStores.connect(TestRedis.config(TestRedis.uniquePrefix(
                RedisLoginAttemptsIT.class)));
    }

    @AfterAll
    static void disconnect() {
        stores.close();
        PREFIXES.forEach(TestRedis::deleteKeys);
    }

    @Override
    protected LoginAttempts counter() {
        String prefix = TestRedis.uniquePrefix(RedisLoginAttemptsIT.class);
        PREFIXES.add(prefix);
        return new RedisLoginAttempts(stores.client(), stores.circuit(), prefix, POLICY, clock,
                LocalStores.loginAttempts(POLICY, clock));
    }

    @Test
    void aLockoutStartedOnOneReplicaHoldsOnAnother() {
        LoginAttempts one = stores.loginAttempts(POLICY, clock);
        try (RedisStores otherProcess = RedisStores.connect(stores.config())) {
            LoginAttempts two = otherProcess.loginAttempts(POLICY, clock);
            IpAddress client = IpAddress.of("198.51.100.200");
            PREFIXES.add(stores.config().keyPrefix());

            one.admit(client);
            two.admit(client);
            one.admit(client);

            assertThat(two.admit(client)).isEqualTo(new LockedOut(POLICY.lockout(), true));
            assertThat(one.admit(client)).isInstanceOf(LockedOut.class);
        }
    }
}
