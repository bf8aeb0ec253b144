package dev.tokendyn.model;

/**
 * Token ids of several texts, right-padded to the longest: the input of one forward pass.
 *
 * @param ids [B][T] token ids, padded with the pad id
 * @param typeIds [B][T] token type (segment) ids
 * @param lengths the real length of each text, at most T
 */
record Batch(long[][] ids, long[][] typeIds, int[] lengths) {
  Batch {
    if (ids.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one text, found none");
    }
    int t = ids[0].length;
    for (int b = 0; b < ids.length; b++) {
      if (ids[b].length != t || typeIds[b].length != t || lengths[b] < 1 || lengths[b] > t) {
        throw new IllegalArgumentException("text " + b + " of the batch has " + ids[b].length + " ids, "
            + typeIds[b].length + " type ids and length " + lengths[b] + "; expected " + t + " padded ids");
      }
    }
  }

  int size() {
    return ids.length;
  }

  int width() {
    return ids[0].length;
  }
}
