package io.recolens.simulator.internal;

/** One recommended item as shown in a slate. */
public record SlateItem(String itemId, int position, double score) {}
