package dev.sentinel.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.postgres.PostgresStores;
import dev.sentinel.domain.SentinelException;
import dev.sentinel.domain.binding.Binding;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void aServerLeftRunningByAKilledSentinelIsStoppedAndTheFolderReused() throws Exception {
        // A Sentinel killed by SIGKILL left its PostgreSQL running on the folder, and the
        // next start waited a minute for a server that could never start, then gave up.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseChild.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(
                child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.startsWith("ready")) {
            continue;
        }
        assertThat(line).as("the child's embedded database started").startsWith("ready");
        long orphan = Long.parseLong(Files.readAllLines(dataDir.resolve(
                "postgresql/postmaster.pid")).get(0).strip());
        child.destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        long started = System.nanoTime();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(
                    Duration.ofSeconds(40));
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                    .isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void aSecondOwnerOfTheSameFolderIsRefusedAtOnce() {
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir))
                    .isInstanceOf(SentinelException.class)
                    .hasMessageContaining("in use by another Sentinel");
        }
    }

    @Test
    void theEmbeddedServerSyncsItsWritesToDisk() {
        // The library starts PostgreSQL with fsync off, for throwaway test databases; the
        // embedded default then could lose or corrupt bindings on a crash or power loss.
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir);
                PostgresStores stores = PostgresStores.connect(database.config())) {
            for (String setting : new String[] {"fsync", "full_page_writes",
                "synchronous_commit"}) {
                String value = stores.jdbi().withHandle(handle -> handle.createQuery(
                        "SHOW " + setting).mapTo(String.class).one());
                assertThat(value).as(setting).isEqualTo("on");
            }
        }
    }

    @Test
    void aBindingSurvivesAStopAndStartOnTheSameDataDirectory() {
        Binding created;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir);
                PostgresStores stores = PostgresStores.connect(database.config())) {
            assertThat(database.config().jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
            created = stores.bindingStore().bindIfAbsent(Bindings.firstUse(
                    Bindings.randomHash(), "198.51.100.7", Bindings.T0)).binding();
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir);
                PostgresStores stores = PostgresStores.connect(database.config())) {
            assertThat(stores.bindingStore().find(created.tokenHash())).contains(created);
        }
        assertThat(Files.exists(dataDir.resolve(EmbeddedDatabase.DATA_FOLDER)
                .resolve("PG_VERSION"))).isTrue();
    }
}
