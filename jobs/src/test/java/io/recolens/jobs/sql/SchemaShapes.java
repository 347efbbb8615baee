package io.recolens.jobs.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Renders an Iceberg schema as names, types and nullability only, one line per (nested) field, so that a
 * table created from Flink DDL and one created from {@code iceberg-schemas/*.json} can be compared: field IDs
 * (assigned differently by each path) and docs (nested fields carry none in the DDL) are left out on purpose.
 */
public final class SchemaShapes {
    private SchemaShapes() {}

    /** One line per field, e.g. {@code items.element.position: optional int}, in schema order. */
    public static List<String> of(Schema schema) {
        List<String> lines = new ArrayList<>();
        struct(schema.asStruct(), "", lines);
        return lines;
    }

    private static void struct(Types.StructType struct, String prefix, List<String> lines) {
        for (Types.NestedField f : struct.fields()) {
            field(prefix + f.name(), f.isOptional(), f.type(), lines);
        }
    }

    private static void field(String path, boolean optional, Type type, List<String> lines) {
        String nullability = optional ? "optional " : "required ";
        if (type.isPrimitiveType()) {
            lines.add(path + ": " + nullability + type);
            return;
        }
        lines.add(path + ": " + nullability + type.typeId().name().toLowerCase());
        switch (type.typeId()) {
            case STRUCT -> struct(type.asStructType(), path + ".", lines);
            case LIST -> field(path + ".element", type.asListType().isElementOptional(), type.asListType().elementType(), lines);
            case MAP -> {
                field(path + ".key", false, type.asMapType().keyType(), lines);
                field(path + ".value", type.asMapType().isValueOptional(), type.asMapType().valueType(), lines);
            }
            default -> throw new IllegalArgumentException("unexpected type " + type + " at " + path);
        }
    }
}
