package io.baoinjector.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Options for the dev server {@link OpenBaoExtension} starts for a test class or method. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BaoServer {
  /** Start with {@code -dev-leased-kv}: KV v1 reads carry a renewable lease. */
  boolean leasedKv() default false;
}
