/**
 * Alert webhooks: {@link dev.sentinel.adapters.webhook.WebhookAlertSink} delivers alerts on
 * threads of its own, with a timeout and bounded retries, in the body format of the chat
 * tool that receives them ({@link dev.sentinel.adapters.webhook.WebhookFormat}).
 */
package dev.sentinel.adapters.webhook;
