package dev.sentinel.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisFailuresTest {

    @Test
    void aReadTimeoutIsAnOutageButOnlyALateReply() {
        JedisConnectionException late =
                new JedisConnectionException(new SocketTimeoutException("Read timed out"));

        assertThat(RedisFailures.isOutage(late)).isTrue();
        assertThat(RedisFailures.isSlowReply(late)).isTrue();
    }

    @Test
    void aConnectionThatFailsOrBreaksIsNoLateReply() {
        assertThat(RedisFailures.isSlowReply(new JedisConnectionException(
                "Failed to connect", new SocketTimeoutException("Connect timed out"))))
                .isFalse();
        assertThat(RedisFailures.isSlowReply(new JedisConnectionException(
                new ConnectException("Connection refused")))).isFalse();
        assertThat(RedisFailures.isSlowReply(new JedisConnectionException(
                new SocketException("Connection reset")))).isFalse();
        assertThat(RedisFailures.isSlowReply(new JedisConnectionException(
                "Unexpected end of stream.", new EOFException())))
                .isFalse();
        assertThat(RedisFailures.isSlowReply(
                new JedisConnectionException("Unexpected end of stream."))).isFalse();
    }
}
