package dev.postbackrelay.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the commands print: human tables by default, the API's JSON with {@code --json}. Tables
 * are plain text, columns padded to their widest cell (cut at 60 characters but for the last,
 * shown whole), one line per row.
 */
public final class Output {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final int MAX_CELL = 60;

  private final PrintWriter out;
  private final boolean json;

  public Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  public boolean json() {
    return json;
  }

  public PrintWriter writer() {
    return out;
  }

  public void print(JsonNode n) {
    try {
      out.println(JSON.writeValueAsString(n));
    } catch (Exception e) {
      out.println(n.toString());
    }
    out.flush();
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  /** One column of a table: its header and how a row's cell is read. */
  public record Column(String header, Function<JsonNode, String> cell) {

    /** A column showing the field {@code name} of each row. */
    public static Column of(String header, String name) {
      return new Column(header, n -> text(n.path(name)));
    }
  }

  /** Prints {@code rows} as a table of {@code columns}, or says there are none. */
  public void table(Iterable<JsonNode> rows, List<Column> columns) {
    List<String[]> cells = new ArrayList<>();
    for (JsonNode row : rows) {
      String[] line = new String[columns.size()];
      for (int i = 0; i < line.length; i++) {
        String cell = oneLine(columns.get(i).cell().apply(row));
        line[i] = i == line.length - 1 ? cell : cut(cell); // the last column is shown whole
      }
      cells.add(line);
    }
    if (cells.isEmpty()) {
      line("(none)");
      return;
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).header().length();
      for (String[] line : cells) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      header.append(pad(columns.get(i).header(), widths[i], i == widths.length - 1));
    }
    out.println(header.toString().stripTrailing());
    for (String[] line : cells) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        b.append(pad(line[i], widths[i], i == widths.length - 1));
      }
      out.println(b.toString().stripTrailing());
    }
    out.flush();
  }

  /** A field's text: empty for null or missing, the JSON for objects and arrays. */
  public static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return "";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }

  private static String cut(String s) {
    return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
  }

  private static String pad(String s, int width, boolean last) {
    return last ? s : s + " ".repeat(width - s.length() + 2);
  }
}
