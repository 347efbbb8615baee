package io.recolens.connectors.iceberg;

/** An existing Iceberg table cannot take recolens' rows without a change recolens refuses to make on its own. */
public final class IncompatibleTableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Where operators find how to migrate a table; named in every message. */
    public static final String FIX = "rename or drop the table, or migrate it; see docs/tables.md";

    private final String table;
    private final String column;

    /**
     * @param table the table's full name, e.g. {@code recolens.variant_engagement}
     * @param column the column or aspect in conflict, e.g. {@code clicks} or {@code partition spec}
     * @param found what the table has
     * @param expected what the definition file says
     * @param definitionFile the file the expectation comes from
     */
    public IncompatibleTableException(String table, String column, String found, String expected, String definitionFile) {
        super("Table " + table + " is incompatible with " + definitionFile + ": " + column + " is " + found
                + " in the table, expected " + expected + ". Fix: " + FIX + ".");
        this.table = table;
        this.column = column;
    }

    public String table() {
        return table;
    }

    public String column() {
        return column;
    }
}
