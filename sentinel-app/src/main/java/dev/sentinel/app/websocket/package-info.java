/**
 * WebSocket proxying: handshakes pass the same check as plain requests before any upgrade,
 * and accepted connections are bridged frame by frame to New API. {@link
 * dev.sentinel.app.websocket.WebSocketBridge} is the entry point; {@link
 * dev.sentinel.app.websocket.BridgeListener} reports what happens to connections.
 */
package dev.sentinel.app.websocket;
