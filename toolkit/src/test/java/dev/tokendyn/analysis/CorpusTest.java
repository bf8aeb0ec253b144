package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CorpusTest {
  private static Corpus read(String text, Corpus.Format f, String field) throws IOException {
    return Corpus.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "in", f, field);
  }

  @Test
  void plainTextSkipsAndCountsBlankLines() throws IOException {
    Corpus c = read("first text\n\n   \nsecond text\n", Corpus.Format.TEXT, null);
    assertThat(c.texts()).containsExactly("first text", "second text");
    assertThat(c.lines()).containsExactly(1, 4);
    assertThat(c.blank()).isEqualTo(2);
  }

  @Test
  void jsonLinesNameTheBadLine() throws IOException {
    Corpus c = read("{\"text\": \"a b\", \"id\": 1}\n{\"body\": \"c\", \"text\": \"d e\"}\n", Corpus.Format.JSONL, null);
    assertThat(c.texts()).containsExactly("a b", "d e");
    assertThatThrownBy(() -> read("{\"text\": \"a\"}\n{not json\n", Corpus.Format.JSONL, null))
        .hasMessageStartingWith("in line 2 is not JSON");
    assertThatThrownBy(() -> read("{\"body\": \"a\", \"id\": 3}\n", Corpus.Format.JSONL, "text"))
        .hasMessage("in line 1 has no field \"text\"; it has [body, id] (choose one with --text-field)");
    assertThat(read("{\"body\": \"a\"}\n", Corpus.Format.JSONL, "body").texts()).containsExactly("a");
  }

  @Test
  void csvWithQuotesAndAMissingColumn() throws IOException {
    String csv = "id,text,label\n1,\"Hello, world\",x\n2,\"She said \"\"hi\"\"\nand left\",y\n3,,z\n";
    Corpus c = read(csv, Corpus.Format.CSV, null);
    assertThat(c.texts()).containsExactly("Hello, world", "She said \"hi\"\nand left");
    assertThat(c.lines()).containsExactly(2, 3);
    assertThat(c.blank()).isEqualTo(1);
    assertThatThrownBy(() -> read(csv, Corpus.Format.CSV, "body"))
        .hasMessage("in has no column \"body\"; its columns are [id, text, label] (choose one with --text-field)");
    assertThat(read("text\tn\nfirst one\t1\n", Corpus.Format.TSV, null).texts()).containsExactly("first one");
  }

  @Test
  void invalidUtf8IsNamed() {
    byte[] bad = {'a', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
    assertThatThrownBy(() -> Corpus.read(new ByteArrayInputStream(bad), "in", Corpus.Format.TEXT, null))
        .hasMessageContaining("in is not valid UTF-8");
  }

  @Test
  void aSeededSubsetKeepsTheOrder() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      s.append("text ").append(i).append('\n');
    }
    Corpus c = read(s.toString(), Corpus.Format.TEXT, null);
    Corpus a = c.subset(10, 5);
    assertThat(a.texts()).hasSize(10).isEqualTo(c.subset(10, 5).texts()).isNotEqualTo(c.subset(10, 6).texts());
    int previous = 0;
    for (int line : a.lines()) {
      assertThat(line).isGreaterThan(previous);
      previous = line;
    }
    assertThat(c.subset(1000, 5)).isSameAs(c);
  }

  /** The subset's indices against a Fisher-Yates shuffle of the whole index array, drawn the same way. */
  @Test
  void theChosenIndicesAreThoseOfAFullShuffle() {
    for (int[] c : new int[][] {{50, 10, 5}, {1000, 999, 1}, {7, 1, 3}, {200, 64, 11}}) {
      int n = c[0];
      int limit = c[1];
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      java.util.SplittableRandom rng = new java.util.SplittableRandom(c[2]);
      for (int i = 0; i < limit; i++) {
        int j = i + rng.nextInt(n - i);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
      int[] want = java.util.Arrays.copyOf(idx, limit);
      java.util.Arrays.sort(want);
      assertThat(Corpus.chosen(n, limit, c[2])).isEqualTo(want);
    }
    assertThat(Corpus.chosen(4, 9, 0)).containsExactly(0, 1, 2, 3);
  }
}
