package dev.sentinel.adapters.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.Bindings;
import dev.sentinel.adapters.postgres.PostgresStores;
import dev.sentinel.domain.binding.Binding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseIT {

    @TempDir
    Path dataDir;

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
