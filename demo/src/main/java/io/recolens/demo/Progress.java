package io.recolens.demo;

import java.io.PrintStream;

/** Prints the demo's steps and progress lines with the time since start. */
final class Progress {
    private final PrintStream out;
    private final long start = System.currentTimeMillis();
    private int step;

    Progress(PrintStream out) {
        this.out = out;
    }

    void step(String what) {
        out.printf("%n[%5.1fs] %d. %s%n", elapsed(), ++step, what);
    }

    void detail(String what) {
        out.printf("[%5.1fs]    %s%n", elapsed(), what);
    }

    private double elapsed() {
        return (System.currentTimeMillis() - start) / 1000.0;
    }
}
