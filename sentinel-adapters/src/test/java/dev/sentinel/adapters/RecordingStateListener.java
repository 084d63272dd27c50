package dev.sentinel.adapters;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every state change, as {@code down:<store>} and {@code up:<store>}. */
public final class RecordingStateListener implements StoreStateListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void storeDown(String store, Throwable cause) {
        events.add("down:" + store);
    }

    @Override
    public void storeUp(String store) {
        events.add("up:" + store);
    }

    /** Returns the changes so far, oldest first. */
    public List<String> events() {
        return List.copyOf(events);
    }
}
