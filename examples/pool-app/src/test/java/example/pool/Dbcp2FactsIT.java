package example.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baoinjector.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not the agent: what does and does not reach the new connections of a started Commons DBCP2 {@code
 * BasicDataSource} (2.14.0), against a real PostgreSQL — the facts docs/agent.md states for DBCP2,
 * which the agent does not bind.
 */
@Timeout(120)
class Dbcp2FactsIT {
  @Test
  void setPasswordAfterStartHasNoEffectButTheConnectionPropertyDoes() throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      pg.sql("CREATE ROLE dbcp LOGIN PASSWORD 'dbcp-one';");
      BasicDataSource ds = new BasicDataSource();
      ds.setUrl(pg.jdbcUrl());
      ds.setUsername("dbcp");
      ds.setPassword("dbcp-one");
      ds.setMaxWait(java.time.Duration.ofMillis(1500));
      try {
        assertEquals("ok", query(ds));

        pg.sql("ALTER ROLE dbcp PASSWORD 'dbcp-two';");
        ds.setPassword("dbcp-two");
        cut(pg);
        assertEquals("failed 28P01", query(ds), "setPassword after start is ignored");

        ds.addConnectionProperty("password", "dbcp-two");
        cut(pg);
        assertEquals("ok", query(ds), "the connection property reaches new connections");
      } finally {
        ds.close();
      }
    }
  }

  private static void cut(PostgresServer pg) {
    pg.sql("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE usename = 'dbcp';");
  }

  private static String query(BasicDataSource ds) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
      return "ok";
    } catch (SQLException e) {
      return "failed " + e.getSQLState();
    }
  }
}
