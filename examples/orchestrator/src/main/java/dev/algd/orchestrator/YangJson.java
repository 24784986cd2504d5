package dev.algd.orchestrator;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import org.opendaylight.yangtools.yang.data.api.schema.NormalizedNode;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONCodecFactorySupplier;
import org.opendaylight.yangtools.yang.data.codec.gson.JSONNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;

/** Top-level data read through a mount, as RFC 7951 JSON ({@code {"module:name": ...}}). */
final class YangJson {

    private YangJson() {
    }

    static JsonElement of(EffectiveModelContext schema, NormalizedNode topLevel) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            var stream = JSONNormalizedNodeStreamWriter.createNestedWriter(
                JSONCodecFactorySupplier.RFC7951.getShared(schema), SchemaInferenceStack.of(schema).toInference(),
                null, json);
            try (NormalizedNodeWriter writer = NormalizedNodeWriter.forStreamWriter(stream)) {
                writer.write(topLevel);
            }
            json.endObject();
        }
        return JsonParser.parseString(text.toString());
    }
}
