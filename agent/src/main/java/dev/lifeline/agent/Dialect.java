package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one A2A protocol version spells results and stream events on the JSON-RPC wire.
 *
 * <p>0.3 puts a {@code kind} discriminator inside each object; 1.0 (ProtoJSON) wraps each object in
 * a field named after its type ({@code task}, {@code message}, {@code statusUpdate}, {@code
 * artifactUpdate}) and spells enums in upper case.
 */
interface Dialect {

    /** The result of a non-streaming send that answers with a message. */
    JsonNode sendResult(ChatMessage reply);

    /** A task as the result of a task query; an empty history is left out. */
    JsonNode task(TaskSnapshot task);

    /** A stream event carrying the whole task. */
    JsonNode taskEvent(TaskSnapshot task);

    /** A stream event announcing the task's current status; {@code last} marks the end of the stream. */
    JsonNode statusEvent(TaskSnapshot task, boolean last);

    /** A stream event carrying one chunk of an artifact. */
    JsonNode artifactEvent(TaskSnapshot task, TaskSnapshot.Artifact chunk, boolean append, boolean lastChunk);

    /** The stream event for {@code event}. */
    default JsonNode event(TaskEvent event) {
        return switch (event) {
            case TaskEvent.Snapshot s -> taskEvent(s.task());
            case TaskEvent.StatusChanged s -> statusEvent(s.task(), s.last());
            case TaskEvent.ArtifactChunk a -> artifactEvent(a.task(), a.chunk(), a.append(), a.lastChunk());
        };
    }
}
