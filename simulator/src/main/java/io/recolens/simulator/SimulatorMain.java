package io.recolens.simulator;

import java.io.PrintStream;

/** Command-line entry point: simulates traffic into Kafka or a directory and writes the ground truth. */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(CliArguments.USAGE);
      return;
    }
    CliArguments cli;
    try {
      cli = CliArguments.parse(args, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(cli, System.out);
  }

  /** Runs a parsed command line and prints a one-line summary. */
  static GroundTruth run(CliArguments cli, PrintStream out) {
    SimulatorConfig config = cli.config();
    Pacer pacer = cli.realtime() ? Pacer.wallClock(config.startEpochMs(), cli.speed()) : Pacer.NONE;
    long began = System.nanoTime();
    GroundTruth truth;
    try (TrafficSink sink = cli.kafkaBootstrap() != null
        ? new KafkaTrafficSink(cli.kafkaBootstrap(), cli.topics())
        : new FileTrafficSink(cli.outDir(), config.spanEncoding())) {
      truth = new TrafficSimulator().run(config, sink, pacer);
    }
    if (cli.truthFile() != null) {
      truth.writeJson(cli.truthFile());
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    out.printf("simulated %d requests (%d impressions, %d clicks, %d span messages) in %.1f s%n",
        truth.requests(), truth.totals().impressions(), truth.totals().clicks(), truth.totals().spanMessages(),
        seconds);
    return truth;
  }
}
