package example.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most ordinary pool there is: one {@code HikariDataSource}, built once at startup from {@code
 * DB_URL}, {@code DB_USER} and {@code DB_PASSWORD}, then used for a query every {@code
 * --interval-ms} (default 600). No bao-injector code: the agent, if any, is the only thing that can
 * make it follow a rotation.
 *
 * <p>Prints {@code ready}, then {@code ok <n> <user> <backend pid>} or {@code failed <n>
 * <SQLState>} per query, and {@code env changed} once {@code System.getenv("DB_PASSWORD")} no
 * longer holds the startup value (never a value). A line {@code mark} on stdin is echoed in order
 * with the queries, so a test can tell which came after an event; it exits when stdin ends or after
 * {@code --max-queries} (300).
 *
 * <p>{@code --user-in-properties}: the user goes into the data-source properties and the pool's
 * user name stays null — then HikariCP's {@code DriverDataSource} uses the startup password it
 * copied, not the config's.
 */
public final class PoolApp {
  private PoolApp() {}

  public static void main(String[] args) throws Exception {
    long interval = 600;
    int maxQueries = 300;
    boolean userInProperties = false;
    for (String a : args) {
      if (a.startsWith("--interval-ms=")) {
        interval = Long.parseLong(a.substring("--interval-ms=".length()));
      } else if (a.startsWith("--max-queries=")) {
        maxQueries = Integer.parseInt(a.substring("--max-queries=".length()));
      } else if (a.equals("--user-in-properties")) {
        userInProperties = true;
      } else {
        System.err.println("unknown argument " + a);
        System.exit(2);
      }
    }
    String startupPassword = System.getenv("DB_PASSWORD");
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(System.getenv("DB_URL"));
    if (userInProperties) {
      cfg.addDataSourceProperty("user", System.getenv("DB_USER"));
    } else {
      cfg.setUsername(System.getenv("DB_USER"));
    }
    cfg.setPassword(startupPassword);
    cfg.setMaximumPoolSize(2);
    cfg.setConnectionTimeout(1500);

    AtomicInteger marks = new AtomicInteger();
    Thread stdin =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.equals("mark")) {
                    marks.incrementAndGet();
                  }
                }
              } catch (Exception e) {
                // stdin gone: same as closed
              }
              System.exit(0);
            },
            "stdin");
    stdin.setDaemon(true);

    try (HikariDataSource ds = new HikariDataSource(cfg)) {
      System.out.println("ready");
      stdin.start();
      boolean envChanged = false;
      int printedMarks = 0;
      for (int n = 1; n <= maxQueries; n++) {
        for (int m = marks.get(); printedMarks < m; printedMarks++) {
          System.out.println("mark");
        }
        if (!envChanged && !Objects.equals(startupPassword, System.getenv("DB_PASSWORD"))) {
          envChanged = true;
          System.out.println("env changed");
        }
        System.out.println(query(ds, n));
        Thread.sleep(interval);
      }
    }
  }

  private static String query(HikariDataSource ds, int n) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_user, pg_backend_pid()")) {
      rs.next();
      return "ok " + n + " " + rs.getString(1) + " " + rs.getInt(2);
    } catch (SQLException e) {
      return "failed " + n + " " + e.getSQLState();
    }
  }
}
