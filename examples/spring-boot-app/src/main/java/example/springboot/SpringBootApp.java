package example.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An ordinary Spring Boot app with a PostgreSQL datasource configured from the environment ({@code
 * application.properties}: {@code spring.datasource.password=${DB_PASSWORD}}). It contains no
 * bao-injector code at all: run with the agent, the password comes from OpenBao.
 *
 * <p>Prints {@code connected as <user>} and exits, or with {@code --stay} keeps checking that a
 * fresh connection still works (see {@link WhoAmI}).
 */
@SpringBootApplication
public class SpringBootApp {
  public static void main(String[] args) {
    System.exit(SpringApplication.exit(SpringApplication.run(SpringBootApp.class, args)));
  }
}
