package io.rewardgate.api;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * A schema that is one of several has no type of its own: the annotation scanner gives it its Java type's (an
 * interface's {@code object}, a {@code JsonNode}'s {@code array}) beside the {@code oneOf}, and a validator or
 * a generated client would then refuse every alternative of another type.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OneOfSchemas implements OASFilter {

    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) {
            schema.setType(null);
        }
        return schema;
    }
}
