package org.concurrencylab.mapreduce.job;

/** The bus addresses of the {@code mapreduce} service (docs/bus.md describes each). */
public final class WordCountAddresses {

  /** Map one partition: served by the worker verticles of every node. */
  public static final String MAP = "mapreduce.map";
  /** Start a job, reply at once with its id. */
  public static final String START = "mapreduce.jobs.start";
  /** Run a job, reply with its result when it is done. */
  public static final String WORDCOUNT = "mapreduce.wordcount";
  /** Published while a job runs: partitions done / total, lines/s; and once more when it ends. */
  public static final String PROGRESS = "mapreduce.progress";
  /** Prefix of a job's own address, {@code mapreduce.job.<id>}: served by the node that runs it. */
  public static final String JOB_PREFIX = "mapreduce.job.";

  private WordCountAddresses() {
  }

  /** The address that answers for job {@code id}. */
  public static String job(String id) {
    return JOB_PREFIX + id;
  }
}
