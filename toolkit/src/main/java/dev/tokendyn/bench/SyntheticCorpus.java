package dev.tokendyn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded English-like sentences for benchmarks that need a corpus of a given size without a download:
 * clauses of determiner, adjectives, noun, verb, object and prepositional phrases over a vocabulary of a
 * few hundred common words, joined into texts of 8 to 40 words (about 12 to 55 BERT tokens). The same
 * seed gives the same texts.
 */
public final class SyntheticCorpus {
  private SyntheticCorpus() {}

  private static final String[] DET = {"the", "a", "every", "this", "that", "some", "no", "one", "each", "our", "their"};
  private static final String[] ADJ = {"small", "large", "old", "young", "quiet", "bright", "dark", "quick", "slow",
      "happy", "tired", "careful", "strange", "simple", "heavy", "light", "cold", "warm", "early", "late", "green",
      "red", "blue", "wooden", "ancient", "modern", "busy", "empty", "narrow", "wide", "gentle", "loud", "clever"};
  private static final String[] NOUN = {"cat", "dog", "teacher", "river", "city", "garden", "child", "window", "road",
      "book", "market", "mountain", "friend", "student", "engine", "bridge", "letter", "village", "forest", "train",
      "doctor", "song", "storm", "table", "kitchen", "farmer", "painter", "island", "museum", "question", "answer",
      "model", "layer", "token", "picture", "machine", "winter", "morning", "evening", "story", "house", "bird",
      "ship", "horse", "school", "office", "door", "street", "wall", "lamp", "coat", "field", "lake", "cloud"};
  private static final String[] VERB = {"sees", "finds", "carries", "watches", "builds", "paints", "reads", "follows",
      "opens", "closes", "crosses", "remembers", "describes", "moves", "pushes", "leaves", "visits", "answers",
      "writes", "keeps", "breaks", "fixes", "holds", "loves", "ignores", "measures", "counts", "explains"};
  private static final String[] ADV = {"slowly", "quickly", "often", "rarely", "quietly", "again", "today",
      "yesterday", "carefully", "suddenly", "almost", "never", "always"};
  private static final String[] PREP = {"near", "behind", "under", "over", "beside", "across", "through", "after",
      "before", "without", "with", "into", "from", "around"};
  private static final String[] JOIN = {"and", "but", "while", "because", "so", "although", "when"};

  /** {@code count} texts from the seed. */
  public static List<String> texts(int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> out = new ArrayList<>(count);
    for (int t = 0; t < count; t++) {
      int target = 8 + rng.nextInt(33);
      StringBuilder s = new StringBuilder();
      int words = 0;
      while (words < target) {
        if (words > 0) {
          s.append(' ').append(pick(JOIN, rng)).append(' ');
          words++;
        }
        words += clause(s, rng);
      }
      s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
      out.add(s.append('.').toString());
    }
    return out;
  }

  private static int clause(StringBuilder s, SplittableRandom rng) {
    int w = phrase(s, rng);
    if (rng.nextInt(3) == 0) {
      s.append(' ').append(pick(ADV, rng));
      w++;
    }
    s.append(' ').append(pick(VERB, rng)).append(' ');
    w += 1 + phrase(s, rng);
    if (rng.nextBoolean()) {
      s.append(' ').append(pick(PREP, rng)).append(' ');
      w += 1 + phrase(s, rng);
    }
    return w;
  }

  private static int phrase(StringBuilder s, SplittableRandom rng) {
    s.append(pick(DET, rng));
    int w = 1;
    for (int a = rng.nextInt(3); a > 0; a--) {
      s.append(' ').append(pick(ADJ, rng));
      w++;
    }
    s.append(' ').append(pick(NOUN, rng));
    return w + 1;
  }

  private static String pick(String[] words, SplittableRandom rng) {
    return words[rng.nextInt(words.length)];
  }
}
