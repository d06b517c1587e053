package example.springboot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Asks the database who we are, through the datasource Spring Boot built from {@code
 * spring.datasource.*}.
 *
 * <p>{@code --stay} (with {@code --interval-ms=N}, default 2000) then, every interval, opens a
 * fresh connection with the credentials the {@link Environment} holds at that moment ({@code fresh
 * connection: …}) and runs a query through Spring's pool ({@code pool: …}, with the time the query
 * started). The pool was built with the startup password; with the agent ({@code pools=follow}, its
 * default) it follows rotations, without it the pool's new connections fail after one.
 */
@Component
class WhoAmI implements ApplicationRunner {
  private final JdbcTemplate jdbc;
  private final Environment env;

  WhoAmI(JdbcTemplate jdbc, Environment env) {
    this.jdbc = jdbc;
    this.env = env;
  }

  @Override
  public void run(ApplicationArguments args) throws InterruptedException {
    System.out.println("connected as " + jdbc.queryForObject("select current_user", String.class));
    if (!args.containsOption("stay")) {
      return;
    }
    long intervalMs =
        args.containsOption("interval-ms")
            ? Long.parseLong(args.getOptionValues("interval-ms").get(0))
            : 2000;
    while (true) {
      Thread.sleep(intervalMs);
      System.out.println(freshConnection());
      System.out.println(throughThePool());
    }
  }

  private String throughThePool() {
    long started = System.currentTimeMillis();
    try {
      return "pool: connected as "
          + jdbc.queryForObject("select current_user", String.class)
          + " at "
          + started;
    } catch (DataAccessException e) {
      Throwable root = e.getMostSpecificCause();
      String state = root instanceof SQLException ? ((SQLException) root).getSQLState() : null;
      return "pool: failed ("
          + (state != null ? state : root.getClass().getName())
          + ") at "
          + started;
    }
  }

  private String freshConnection() {
    try (Connection c =
            DriverManager.getConnection(
                env.getRequiredProperty("spring.datasource.url"),
                env.getProperty("spring.datasource.username"),
                env.getProperty("spring.datasource.password"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select current_user")) {
      rs.next();
      return "fresh connection: connected as " + rs.getString(1);
    } catch (SQLException e) {
      // PostgreSQL's messages name the user, never the password
      return "fresh connection: failed (" + e.getSQLState() + " " + e.getMessage() + ")";
    }
  }
}
