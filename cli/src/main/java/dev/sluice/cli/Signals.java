package dev.sluice.cli;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop that the command answers itself (the demo: stop
 * the changes, catch up, print the proof; run and serve: stop the pipelines) instead of the JVM's
 * shutdown; a second one ends the JVM at once. Stopping before the JVM shuts down matters: a sink's
 * last commit may need thread pools a library ends in its own shutdown hook (Iceberg writes its
 * manifests on such a pool), and shutdown hooks run in no set order.
 */
public final class Signals {
  private Signals() {}

  public static void onInterrupt(Runnable first) {
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
