package dev.sluice.cli.demo;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop that the demo answers itself (stop the changes,
 * catch up, print the proof) instead of the JVM's shutdown; a second one ends the JVM at once.
 */
final class Signals {
  private Signals() {}

  static void onInterrupt(Runnable first) {
    boolean[] seen = {false};
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          synchronized (seen) {
            if (seen[0]) {
              System.exit(130);
            }
            seen[0] = true;
          }
          first.run();
        });
      } catch (IllegalArgumentException unsupported) {
        // a platform without this signal: the JVM's default handling stays
      }
    }
  }
}
