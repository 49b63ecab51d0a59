package org.concurrencylab.mapreduce.count;

/** Why a line was skipped instead of counted. */
public enum LineProblem {
  TOO_FEW_FIELDS("fewer than 4 TAB-separated fields"),
  TOO_MANY_FIELDS("more than 4 TAB-separated fields"),
  EMPTY_NGRAM("the ngram is empty"),
  BAD_COUNT("match_count is not a whole number");

  private final String description;

  LineProblem(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
