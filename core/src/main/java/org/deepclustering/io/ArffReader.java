package org.deepclustering.io;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.deepclustering.data.Dataset;

/**
 * Reads numeric ARFF files (plain or gzip-compressed, dense or sparse rows) into a {@link Dataset}.
 *
 * <p>All numeric attributes become features. The class attribute (by default the last attribute, when it is nominal)
 * becomes the evaluation labels. Other nominal, string or date attributes are rejected with a message naming them;
 * Weka users get full attribute handling (NominalToBinary etc.) through the Weka package. Missing values ({@code ?})
 * are read as NaN and rejected by training with a message naming the row.
 */
public final class ArffReader {
  private ArffReader() {}

  /** Reads a file; {@code .gz} files (or any gzip stream) are decompressed. */
  public static Dataset read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    }
  }

  /** Reads a stream; {@code sourceName} appears in error messages. */
  public static Dataset read(InputStream raw, String sourceName) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    InputStream body = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(in, 1 << 16) : in;
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
    return parse(reader, sourceName);
  }

  private record Attribute(String name, String type, List<String> nominalValues) {
    boolean numeric() {
      String t = type.toLowerCase();
      return t.equals("numeric") || t.equals("real") || t.equals("integer");
    }
  }

  private static Dataset parse(BufferedReader reader, String source) throws IOException {
    List<Attribute> attributes = new ArrayList<>();
    String line;
    int lineNo = 0;
    boolean inData = false;
    while (!inData && (line = reader.readLine()) != null) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("%")) continue;
      String lower = t.toLowerCase();
      if (lower.startsWith("@relation")) continue;
      if (lower.startsWith("@attribute")) {
        attributes.add(parseAttribute(t.substring("@attribute".length()).strip(), source, lineNo));
      } else if (lower.startsWith("@data")) {
        inData = true;
      } else {
        throw new IOException(source + ":" + lineNo + ": unexpected header line '" + t + "'");
      }
    }
    if (!inData) throw new IOException(source + ": no @data section found");
    if (attributes.isEmpty()) throw new IOException(source + ": no @attribute declarations");

    int classIndex = attributes.get(attributes.size() - 1).nominalValues() != null ? attributes.size() - 1 : -1;
    int[] featureOf = new int[attributes.size()];
    List<String> featureNames = new ArrayList<>();
    for (int a = 0; a < attributes.size(); a++) {
      Attribute att = attributes.get(a);
      if (a == classIndex) {
        featureOf[a] = -1;
      } else if (att.numeric()) {
        featureOf[a] = featureNames.size();
        featureNames.add(att.name());
      } else {
        throw new IOException(source + ": attribute '" + att.name() + "' has type " + att.type()
            + "; only numeric features (and a nominal class as the last attribute) are supported here."
            + " Convert it first, or use the Weka package, which handles nominal attributes.");
      }
    }
    int d = featureNames.size();
    Map<String, Integer> classCodes = new HashMap<>();
    if (classIndex >= 0) {
      List<String> values = attributes.get(classIndex).nominalValues();
      for (int i = 0; i < values.size(); i++) classCodes.put(values.get(i), i);
    }

    FloatList values = new FloatList(1 << 16);
    List<Integer> labels = new ArrayList<>();
    boolean anyMissingLabel = false;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("%")) continue;
      int rowStart = values.size();
      values.grow(d);
      String classValue = null;
      if (t.startsWith("{")) {
        String inner = t.substring(1, t.lastIndexOf('}')).strip();
        if (!inner.isEmpty()) {
          for (String pair : inner.split(",")) {
            String p = pair.strip();
            int sp = p.indexOf(' ');
            int a = Integer.parseInt(p.substring(0, sp));
            String v = unquote(p.substring(sp + 1).strip());
            if (a == classIndex) classValue = v;
            else values.set(rowStart + featureOf[a], parseNumber(v, source, lineNo, attributes.get(a).name()));
          }
        }
        if (classIndex >= 0 && classValue == null) classValue = attributes.get(classIndex).nominalValues().get(0);
      } else {
        String[] fields = splitFields(t);
        if (fields.length != attributes.size()) {
          throw new IOException(source + ":" + lineNo + ": " + fields.length + " values, expected " + attributes.size());
        }
        for (int a = 0; a < fields.length; a++) {
          if (a == classIndex) classValue = unquote(fields[a].strip());
          else values.set(rowStart + featureOf[a], parseNumber(fields[a].strip(), source, lineNo, attributes.get(a).name()));
        }
      }
      if (classIndex >= 0) {
        Integer code = "?".equals(classValue) ? null : classCodes.get(classValue);
        if (code == null && !"?".equals(classValue)) {
          throw new IOException(source + ":" + lineNo + ": class value '" + classValue + "' is not declared");
        }
        anyMissingLabel |= code == null;
        labels.add(code == null ? -1 : code);
      }
    }
    int n = values.size() / Math.max(d, 1);
    if (d == 0) n = 0;
    Dataset data = Dataset.ofRowMajor(values.toArray(), n, d).withFeatureNames(featureNames);
    if (classIndex >= 0 && !anyMissingLabel && n > 0) {
      data = data.withLabels(labels.stream().mapToInt(Integer::intValue).toArray(), attributes.get(classIndex).nominalValues());
    }
    return data;
  }

  private static Attribute parseAttribute(String rest, String source, int lineNo) throws IOException {
    String name;
    String remainder;
    if (rest.startsWith("'") || rest.startsWith("\"")) {
      char q = rest.charAt(0);
      int end = rest.indexOf(q, 1);
      if (end < 0) throw new IOException(source + ":" + lineNo + ": unterminated attribute name");
      name = rest.substring(1, end);
      remainder = rest.substring(end + 1).strip();
    } else {
      int sp = indexOfWhitespace(rest);
      if (sp < 0) throw new IOException(source + ":" + lineNo + ": attribute without a type");
      name = rest.substring(0, sp);
      remainder = rest.substring(sp).strip();
    }
    if (remainder.startsWith("{")) {
      String inner = remainder.substring(1, remainder.lastIndexOf('}'));
      List<String> values = new ArrayList<>();
      for (String v : splitFields(inner)) values.add(unquote(v.strip()));
      return new Attribute(name, "nominal", values);
    }
    int sp = indexOfWhitespace(remainder);
    String type = sp < 0 ? remainder : remainder.substring(0, sp);
    return new Attribute(name, type, null);
  }

  private static float parseNumber(String s, String source, int lineNo, String attribute) throws IOException {
    if (s.equals("?")) return Float.NaN;
    try {
      return Float.parseFloat(s);
    } catch (NumberFormatException e) {
      throw new IOException(source + ":" + lineNo + ": attribute '" + attribute + "' has non-numeric value '" + s + "'");
    }
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
    return -1;
  }

  /** Splits on commas outside quotes. */
  private static String[] splitFields(String s) {
    if (s.indexOf('\'') < 0 && s.indexOf('"') < 0) return s.split(",", -1);
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\' && i + 1 < s.length()) {
          cur.append(c).append(s.charAt(++i));
          continue;
        }
        if (c == quote) quote = 0;
        cur.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        cur.append(c);
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Growable float array without boxing. */
  private static final class FloatList {
    private float[] data;
    private int size;

    FloatList(int capacity) { data = new float[capacity]; }

    int size() { return size; }

    void grow(int count) {
      if (size + count > data.length) data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + count));
      size += count; // new slots are zero (sparse rows rely on it)
    }

    void set(int i, float v) { data[i] = v; }

    float[] toArray() { return java.util.Arrays.copyOf(data, size); }
  }
}
