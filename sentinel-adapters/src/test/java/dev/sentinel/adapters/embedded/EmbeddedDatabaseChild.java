package dev.sentinel.adapters.embedded;

import java.nio.file.Path;

/** Starts an embedded database in its own JVM, for a test that kills that JVM. */
public final class EmbeddedDatabaseChild {

    private EmbeddedDatabaseChild() {
    }

    /**
     * Starts the database on the folder given and waits to be killed.
     *
     * @param args the data folder
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
        System.out.println("ready " + database.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
