package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.a2a.grpc.AgentCard;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The card against the A2A 1.0 data model, as the official A2A Java SDK generates it from the A2A
 * proto ({@code io.a2a.grpc.AgentCard}): its ProtoJSON parser refuses any field the model does not
 * have and any value of the wrong type, and every field the proto marks {@code REQUIRED} (its
 * {@code google.api.field_behavior}) must be set, arrays with at least one element (A2A 1.0 §5.7).
 */
class AgentCardSchemaTest {

    private static final URI URL = URI.create("http://127.0.0.1:8123");

    @Test
    void theCardServedToA10ClientIsAValidA2a10AgentCard() throws Exception {
        String card = new Json().writeString(dev.lifeline.agent.AgentCard.current("echo", URL));

        AgentCard parsed = parseStrictly(card);

        assertThat(missingRequiredFields(parsed, "")).isEmpty();
        assertThat(parsed.getSupportedInterfacesList())
                .extracting(i -> i.getProtocolBinding() + " " + i.getProtocolVersion() + " " + i.getUrl())
                .containsExactly("JSONRPC 1.0 " + URL, "JSONRPC 0.3 " + URL);
    }

    @Test
    void theCheckRefusesTheCardWithThe03FieldsWhichIsWhyOnly03ClientsGetIt() {
        String card = new Json().writeString(dev.lifeline.agent.AgentCard.legacy("echo", URL));

        assertThatThrownBy(() -> parseStrictly(card))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("url");
    }

    @Test
    void theCheckFindsAMissingRequiredField() throws Exception {
        var card = dev.lifeline.agent.AgentCard.current("echo", URL);
        card.remove("version");
        ((com.fasterxml.jackson.databind.node.ObjectNode) card.at("/skills/0")).remove("tags");

        AgentCard parsed = parseStrictly(new Json().writeString(card));

        assertThat(missingRequiredFields(parsed, "")).containsExactlyInAnyOrder("version", "skills[0].tags");
    }

    private static AgentCard parseStrictly(String json) throws InvalidProtocolBufferException {
        AgentCard.Builder card = AgentCard.newBuilder();
        JsonFormat.parser().merge(json, card);
        return card.build();
    }

    /** The REQUIRED fields of {@code message} and of the messages in it that are not set, as paths. */
    private static List<String> missingRequiredFields(Message message, String prefix) {
        List<String> missing = new ArrayList<>();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String path = prefix + field.getJsonName();
            boolean required = field.getOptions()
                    .getExtension(FieldBehaviorProto.fieldBehavior)
                    .contains(FieldBehavior.REQUIRED);
            boolean set = field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
            if (required && !set) {
                missing.add(path);
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()) {
                if (field.isRepeated()) {
                    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                        missing.addAll(missingRequiredFields(
                                (Message) message.getRepeatedField(field, i), path + "[" + i + "]."));
                    }
                } else if (message.hasField(field)) {
                    missing.addAll(missingRequiredFields((Message) message.getField(field), path + "."));
                }
            }
        }
        return missing;
    }
}
