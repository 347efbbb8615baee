package io.recolens.jobs.functions;

/** Counts of one impression's waiting clicks: how many are kept, and how many were refused past the cap. */
public class ClickTally {
    public int pending;
    public int overCap;

    public ClickTally() {}
}
