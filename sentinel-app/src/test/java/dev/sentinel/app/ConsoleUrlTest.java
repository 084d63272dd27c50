package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleUrlTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, http://127.0.0.1:8016/admin/ui/",
            "::, http://[::1]:8016/admin/ui/",
            "127.0.0.1, http://127.0.0.1:8016/admin/ui/",
            "10.1.2.3, http://10.1.2.3:8016/admin/ui/",
            "fd00::5, http://[fd00::5]:8016/admin/ui/",
    })
    void theStartLineNamesAConsoleAddressAnOperatorCanOpen(String host, String expected) {
        assertThat(Sentinel.consoleUrl(host, 8016)).isEqualTo(expected);
    }
}
