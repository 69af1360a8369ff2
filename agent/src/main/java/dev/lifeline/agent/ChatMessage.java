package dev.lifeline.agent;

import org.jspecify.annotations.Nullable;

/** One A2A message with a single text part, independent of the protocol version on the wire. */
record ChatMessage(
        String messageId,
        Role role,
        String text,
        String contextId,
        @Nullable String taskId) {

    enum Role {
        USER,
        AGENT
    }

    ChatMessage inTask(String id) {
        return new ChatMessage(messageId, role, text, contextId, id);
    }
}
