package dev.sluice.source.mysql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Orders strings exactly as the server orders them in one non-binary collation, by comparing the
 * server's own collation weights ({@code WEIGHT_STRING}). Two strings equal in the collation
 * ({@code 'a' = 'A'}, {@code 'a' = 'a '} under PAD SPACE) compare as 0: they are the same key.
 *
 * <p>Where the weights come from: from a table of each character's weights, learned from the server
 * (ASCII up front, other characters on first sight, at most {@link #MAX_LEARNED} of them), and
 * composed by concatenation per level. A character enters the table only after the server confirmed
 * that it weighs, paired both ways with every character already there, exactly what the two weigh
 * alone: no contraction (a tailored {@code ch}, a DUCET {@code l·}) joins two table characters.
 * Combining marks and the other characters UCA contractions of three or more characters are made of
 * never enter it. A string the table cannot decide is weighed by the server, one round trip per
 * distinct string, kept in a cache bounded in bytes.
 *
 * <p>How weights compare: NO PAD collations (the {@code 0900} ones, MariaDB's {@code nopad}) compare
 * the weight strings byte by byte, which for the multi-level {@code 0900_as_*} collations includes
 * their level separators; PAD SPACE collations compare as if the shorter string were padded with
 * spaces, so a trailing character that weighs less than a space (a tab) sorts before the end.
 */
final class CollationOrder implements Comparator<String> {

  /** The server weighs texts: one weight string per text, in the order given. */
  interface Weigher {
    List<byte[]> weigh(List<String> texts);

    /** The weights of every two-character string of ASCII characters, {@code a * 128 + b}. */
    default List<byte[]> weighAsciiPairs() {
      List<String> pairs = new ArrayList<>(128 * 128);
      for (char a = 0; a < 128; a++) {
        for (char b = 0; b < 128; b++) {
          pairs.add(new String(new char[] {a, b}));
        }
      }
      return weigh(pairs);
    }

    /**
     * The weights of {@code c + m} and {@code m + c} for each character {@code m} of {@code members},
     * in that order, two per member.
     */
    default List<byte[]> weighPairs(String c, String members) {
      List<String> texts = new ArrayList<>();
      members.codePoints().forEach(m -> {
        texts.add(c + Character.toString(m));
        texts.add(Character.toString(m) + c);
      });
      return weigh(texts);
    }
  }

  /**
   * A collation this order reproduces: its character set, how many weight levels its weight string
   * holds (levels separated by a {@code 0000} unit), and whether it pads with spaces.
   */
  record Spec(String collation, String charset, int levels, boolean padSpace) {}

  private static final List<String> CHARSETS = List.of("utf8mb4", "utf8mb3", "utf8");
  private static final List<String> SINGLE_LEVEL = List.of("general_ci", "unicode_ci", "unicode_520_ci",
      "uca1400_ai_ci", "general_nopad_ci", "unicode_nopad_ci", "unicode_520_nopad_ci", "uca1400_nopad_ai_ci");
  /** Bytes of server-weighed strings kept; the cache forgets the least recently used beyond it. */
  static final long CACHE_BYTES = 4L << 20;
  /**
   * Code points beyond ASCII learned at most; strings with others are weighed by the server. With
   * ASCII, under MySQL's default recursion depth of the pair query (1000).
   */
  static final int MAX_LEARNED = 768;
  private static final byte[][] UNSAFE = new byte[0][];

  /**
   * The supported collations, or {@code null}: the {@code utf8mb4} root UCA 9.0.0 collations of
   * MySQL 8, and the general, UCA 4.0.0, 5.2.0 and (MariaDB) 14.0.0 accent- and case-insensitive
   * collations of {@code utf8mb4} and {@code utf8mb3}, PAD SPACE and NO PAD. Language-tailored
   * collations are not among them: their contractions can span three letters, which the pair check
   * does not prove absent.
   */
  static Spec spec(String collation) {
    if (collation == null) {
      return null;
    }
    String c = collation.toLowerCase(Locale.ROOT);
    switch (c) {
      case "utf8mb4_0900_ai_ci":
        return new Spec(c, "utf8mb4", 1, false);
      case "utf8mb4_0900_as_ci":
        return new Spec(c, "utf8mb4", 2, false);
      case "utf8mb4_0900_as_cs":
        return new Spec(c, "utf8mb4", 3, false);
      default:
        break;
    }
    for (String cs : CHARSETS) {
      for (String rest : SINGLE_LEVEL) {
        if (c.equals(cs + "_" + rest)) {
          return new Spec(c, cs.equals("utf8") ? "utf8mb3" : cs, 1, !rest.contains("nopad"));
        }
      }
    }
    return null;
  }

  private final Spec spec;
  private final Weigher server;
  /** Per ASCII character, its weights by level; {@code null} when the table may not be used for it. */
  private final byte[][][] ascii = new byte[128][][];
  private final byte[] space;
  /** Code points beyond ASCII seen so far: their weights by level, or {@link #UNSAFE}. At most {@link #MAX_LEARNED}. */
  private final Map<Integer, byte[][]> learned = new java.util.concurrent.ConcurrentHashMap<>();
  /** The characters in the table (ASCII and learned), each pair of them checked against the server. */
  private final StringBuilder members = new StringBuilder();
  private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;

  CollationOrder(Spec spec, Weigher server) {
    this.spec = spec;
    this.server = server;
    List<String> chars = new ArrayList<>(128);
    for (char c = 0; c < 128; c++) {
      chars.add(String.valueOf(c));
    }
    List<byte[]> weights = server.weigh(chars);
    for (int c = 0; c < 128; c++) {
      ascii[c] = levels(weights.get(c));
    }
    verifyPairs();
    for (char c = 0; c < 128; c++) {
      if (ascii[c] != null) {
        members.append(c);
      }
    }
    if (ascii[' '] == null || (spec.padSpace && ascii[' '][0].length == 0)) {
      throw new IllegalStateException("collation " + spec.collation + ": the weight of a space is not usable");
    }
    space = ascii[' '][0];
  }

  Spec spec() {
    return spec;
  }

  /** Bytes the cache holds (for tests). */
  synchronized long cachedBytes() {
    return cachedBytes;
  }

  @Override
  public int compare(String a, String b) {
    byte[] x = weight(a);
    byte[] y = weight(b);
    if (!spec.padSpace) {
      return Arrays.compareUnsigned(x, y);
    }
    int n = Math.min(x.length, y.length);
    int c = Arrays.compareUnsigned(x, 0, n, y, 0, n);
    if (c != 0) {
      return c;
    }
    byte[] longer = x.length > n ? x : y;
    for (int i = n; i < longer.length; i++) {
      int d = Integer.compare(longer[i] & 0xff, space[(i - n) % space.length] & 0xff);
      if (d != 0) {
        return longer == x ? d : -d;
      }
    }
    return 0;
  }

  /** The string's weight string, as {@code WEIGHT_STRING} gives it. */
  byte[] weight(String s) {
    byte[] local = fromTable(s);
    return local != null ? local : fromServer(s);
  }

  /** The weight string composed from the table, or {@code null} when the table cannot decide. */
  private byte[] fromTable(String s) {
    int len = s.length();
    byte[][][] chars = null;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 128 && ascii[c] != null) {
        continue;
      }
      if (c < 128) {
        return null;
      }
      // A character beyond ASCII: look the code points up (learning them), once for the whole string.
      int n = s.codePointCount(0, len);
      chars = new byte[n][][];
      int k = 0;
      for (int j = 0; j < len; k++) {
        int cp = s.codePointAt(j);
        byte[][] w = cp < 128 ? ascii[cp] : learned(cp);
        if (w == null) {
          return null;
        }
        chars[k] = w;
        j += Character.charCount(cp);
      }
      break;
    }
    int n = chars == null ? len : chars.length;
    int bytes = 2 * (spec.levels - 1); // level separators, 0x0000 each
    for (int l = 0; l < spec.levels; l++) {
      for (int i = 0; i < n; i++) {
        bytes += (chars == null ? ascii[s.charAt(i)] : chars[i])[l].length;
      }
    }
    byte[] out = new byte[bytes];
    int at = 0;
    for (int l = 0; l < spec.levels; l++) {
      if (l > 0) {
        at += 2; // the level separator, 0x0000
      }
      for (int i = 0; i < n; i++) {
        byte[] w = (chars == null ? ascii[s.charAt(i)] : chars[i])[l];
        System.arraycopy(w, 0, out, at, w.length);
        at += w.length;
      }
    }
    return out;
  }

  /**
   * The weights of a code point beyond ASCII, learning it on first sight; {@code null} when strings
   * holding it are left to the server: a combining mark, a format or private-use character, a
   * conjoining jamo or a Thai or Lao prevowel (the characters UCA contractions and reorderings are made
   * of), a character that combines with one already learned (its pair weighs otherwise than its two
   * characters), or any new character once {@link #MAX_LEARNED} are known.
   */
  private byte[][] learned(int cp) {
    byte[][] w = learned.get(cp);
    if (w != null) {
      return w == UNSAFE ? null : w;
    }
    if (!mayLearn(cp)) {
      return null;
    }
    synchronized (this) {
      w = learned.get(cp);
      if (w == null) {
        if (learned.size() >= MAX_LEARNED) {
          return null;
        }
        w = learn(cp);
        learned.put(cp, w);
      }
    }
    return w == UNSAFE ? null : w;
  }

  private static boolean mayLearn(int cp) {
    switch (Character.getType(cp)) {
      case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED, Character.CONTROL:
        return false;
      default:
        break;
    }
    boolean jamo = (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xD7B0 && cp <= 0xD7FF)
        || (cp >= 0x3131 && cp <= 0x318E);
    boolean prevowel = (cp >= 0x0E40 && cp <= 0x0E44) || (cp >= 0x0EC0 && cp <= 0x0EC4)
        || (cp >= 0x19B5 && cp <= 0x19BA) || (cp >= 0xAAB5 && cp <= 0xAABC);
    return !jamo && !prevowel;
  }

  /**
   * Asks the server for the weights of {@code cp} alone, doubled, and paired both ways with every
   * character already in the table; the character joins the table only when each pair weighs what
   * its two characters weigh, which keeps every pair of table characters free of contractions.
   */
  private byte[][] learn(int cp) {
    String c = Character.toString(cp);
    List<byte[]> alone = server.weigh(List.of(c, c + c));
    byte[][] w = levels(alone.get(0));
    if (w == null || !Arrays.equals(compose(w, w), alone.get(1))) {
      return UNSAFE;
    }
    List<byte[]> pairs = server.weighPairs(c, members.toString());
    int i = 0;
    for (int m : members.codePoints().toArray()) {
      byte[][] other = table(m);
      if (!Arrays.equals(compose(w, other), pairs.get(i)) || !Arrays.equals(compose(other, w), pairs.get(i + 1))) {
        return UNSAFE;
      }
      i += 2;
    }
    members.append(c);
    return w;
  }

  private byte[][] table(int cp) {
    return cp < 128 ? ascii[cp] : learned.get(cp);
  }

  private byte[] compose(byte[][] a, byte[][] b) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int l = 0; l < spec.levels; l++) {
      if (l > 0) {
        out.write(0);
        out.write(0);
      }
      out.writeBytes(a[l]);
      out.writeBytes(b[l]);
    }
    return out.toByteArray();
  }

  private synchronized byte[] fromServer(String s) {
    byte[] w = cache.get(s);
    if (w != null) {
      return w;
    }
    w = server.weigh(List.of(s)).get(0);
    cache.put(s, w);
    cachedBytes += cost(s, w);
    var it = cache.entrySet().iterator();
    while (cachedBytes > CACHE_BYTES && it.hasNext()) {
      var e = it.next();
      cachedBytes -= cost(e.getKey(), e.getValue());
      it.remove();
    }
    return w;
  }

  private static long cost(String s, byte[] w) {
    return 2L * s.length() + w.length + 96;
  }

  /** Splits one character's weight string into its levels. */
  private byte[][] levels(byte[] w) {
    byte[][] out = new byte[spec.levels][];
    if (spec.levels == 1) {
      out[0] = w;
      return out;
    }
    int level = 0;
    int start = 0;
    for (int i = 0; i + 1 < w.length && level < spec.levels - 1; i += 2) {
      if (w[i] == 0 && w[i + 1] == 0) {
        out[level++] = Arrays.copyOfRange(w, start, i);
        start = i + 2;
      }
    }
    if (level < spec.levels - 1) {
      if (w.length == 0) {
        Arrays.fill(out, new byte[0]); // ignorable at every level
        return out;
      }
      return null; // not the shape expected: keep the character off the table
    }
    out[level] = Arrays.copyOfRange(w, start, w.length);
    return out;
  }

  /**
   * Asks the server for the weights of all ASCII character pairs and keeps in the table only the
   * characters whose pairs weigh exactly what the table would compose.
   */
  private void verifyPairs() {
    List<byte[]> weights = server.weighAsciiPairs();
    boolean[] bad = new boolean[128];
    for (char a = 0; a < 128; a++) {
      for (char b = 0; b < 128; b++) {
        byte[] composed = fromTable(new String(new char[] {a, b}));
        if (composed != null && !Arrays.equals(composed, weights.get(a * 128 + b))) {
          bad[a] = true;
          bad[b] = true;
        }
      }
    }
    for (int c = 0; c < 128; c++) {
      if (bad[c]) {
        ascii[c] = null;
      }
    }
  }

  /** Whether the table decides strings made of this character, learning it if need be (for tests). */
  boolean local(int cp) {
    return cp < 128 ? ascii[cp] != null : learned(cp) != null;
  }

  static String unsupported(String collation) {
    return "collation " + collation + ", whose order this source cannot reproduce (supported: binary collations, "
        + "utf8mb4_0900_ai_ci, utf8mb4_0900_as_ci, utf8mb4_0900_as_cs, and the utf8mb4 / utf8mb3 general_ci, "
        + "unicode_ci, unicode_520_ci, uca1400_ai_ci collations and their nopad variants)";
  }
}
