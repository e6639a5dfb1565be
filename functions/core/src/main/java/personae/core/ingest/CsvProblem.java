package personae.core.ingest;

/**
 * Input that cannot be read as the dataset says: names the file, the line, and the column where it went wrong.
 * Its message is what the user sees (as a 400 note, or as a dataset's {@code status_error}).
 */
public final class CsvProblem extends RuntimeException {

    private final String file;
    private final long line;
    private final String column;

    public CsvProblem(String file, long line, String column, String problem) {
        super(describe(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String describe(String file, long line, String column, String problem) {
        StringBuilder b = new StringBuilder();
        if (file != null) b.append(file);
        if (line > 0) b.append(b.isEmpty() ? "" : ", ").append("line ").append(line);
        if (column != null) b.append(b.isEmpty() ? "" : ", ").append("column '").append(column).append('\'');
        return (b.isEmpty() ? "" : b + ": ") + problem;
    }

    public String file() { return file; }

    public long line() { return line; }

    public String column() { return column; }
}
