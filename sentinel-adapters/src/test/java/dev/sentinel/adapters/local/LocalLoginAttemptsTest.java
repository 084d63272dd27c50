package dev.sentinel.adapters.local;

import dev.sentinel.adapters.admin.LoginAttempts;
import dev.sentinel.adapters.admin.LoginAttemptsContract;

/** The in-process counter keeps the contract on its own. */
class LocalLoginAttemptsTest extends LoginAttemptsContract {

    @Override
    protected LoginAttempts counter() {
        return LocalStores.loginAttempts(POLICY, clock);
    }
}
