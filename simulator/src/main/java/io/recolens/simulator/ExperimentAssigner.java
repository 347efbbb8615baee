package io.recolens.simulator;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic variant assignment: SHA-256 of {@code user:experiment}, read as an unsigned big integer,
 * modulo the number of variants; the same user always lands in the same variant.
 */
public final class ExperimentAssigner {

  private ExperimentAssigner() {}

  /** The variant index of a user in an experiment. */
  public static int variantIndex(String userId, Experiment experiment) {
    byte[] digest = sha256().digest((userId + ":" + experiment.name()).getBytes(StandardCharsets.UTF_8));
    return new BigInteger(1, digest).mod(BigInteger.valueOf(experiment.variants().size())).intValue();
  }

  /** The variant name of a user in an experiment. */
  public static String assign(String userId, Experiment experiment) {
    return experiment.variants().get(variantIndex(userId, experiment));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }
}
