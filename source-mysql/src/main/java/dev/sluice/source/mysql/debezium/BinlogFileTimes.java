package dev.sluice.source.mysql.debezium;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import dev.sluice.core.SluiceException.ConnectionException;
import dev.sluice.source.mysql.MySqlConfig;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * When a binlog file was started: the time of its format description event, its first real event
 * (the rotate event before it is made up by the server and carries no time). Read with the binlog
 * client Debezium itself uses, since no SQL statement shows event times; one short connection per
 * file, under the source's {@code server-id}, which the caller must hold.
 */
public final class BinlogFileTimes {
  private BinlogFileTimes() {}

  /** Epoch milliseconds (whole seconds) at which {@code file} was started. */
  public static long startMillis(MySqlConfig config, String file) {
    BinaryLogClient client = new BinaryLogClient(config.host(), config.port(), config.user(), config.password());
    client.setServerId(config.serverId());
    client.setBinlogFilename(file);
    client.setBinlogPosition(4);
    client.setKeepAlive(false);
    // As Debezium's default (ssl.mode=preferred): TLS when the server offers it.
    client.setSSLMode(SSLMode.PREFERRED);
    CompletableFuture<Long> first = new CompletableFuture<>();
    client.registerEventListener(e -> {
      if (e.getHeader().getEventType() == EventType.FORMAT_DESCRIPTION || e.getHeader().getTimestamp() > 0) {
        first.complete(e.getHeader().getTimestamp());
      }
    });
    client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
      @Override
      public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
        first.completeExceptionally(ex);
      }

      @Override
      public void onDisconnect(BinaryLogClient c) {
        first.completeExceptionally(new IOException("the server closed the binlog connection"));
      }
    });
    long timeout = config.connectTimeout().toMillis();
    try {
      client.connect(timeout);
      return first.get(timeout, TimeUnit.MILLISECONDS);
    } catch (IOException | TimeoutException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new ConnectionException("cannot read when binlog file " + file + " started (for "
          + "scan.startup.timestamp-millis): " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionException("interrupted while reading when binlog file " + file + " started", e);
    } finally {
      try {
        client.disconnect();
      } catch (IOException e) {
        // the connection is gone either way
      }
    }
  }
}
