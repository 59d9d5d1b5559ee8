package dev.postbackrelay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks that a record changes by name: its {@code Builder} has one setter per component, named
 * after it, that changes that component and no other, and its {@code withX} copies change only
 * what they name. Read through reflection, so a component added to the record without its setter
 * fails here rather than being silently dropped by {@code toBuilder()}.
 */
public final class RecordCopies {

  private RecordCopies() {}

  /**
   * Given two instances that differ in every component: {@code toBuilder().build()} is the
   * original; each setter, given the other's value, changes exactly its component; and a fresh
   * {@code builder()} given every component of {@code other} builds {@code other}.
   */
  public static <R extends Record> void assertBuilderSetsEachComponentByName(R original, R other) {
    RecordComponent[] components = original.getClass().getRecordComponents();
    for (RecordComponent c : components) {
      assertNotEquals(value(c, original), value(c, other), c.getName() + ": the two instances must differ in it");
    }
    assertEquals(original, build(invoke(original, "toBuilder")), "toBuilder().build() must be the original");
    for (RecordComponent c : components) {
      Object builder = invoke(original, "toBuilder");
      set(builder, c, value(c, other));
      R changed = build(builder);
      assertEquals(value(c, other), value(c, changed), c.getName() + " was not set by its setter");
      assertChangedOnly(original, changed, c.getName());
    }
    Object fresh = invoke(original.getClass(), null, "builder");
    for (RecordComponent c : components) {
      set(fresh, c, value(c, other));
    }
    assertEquals(other, build(fresh), "builder() with every setter must build the same record");
  }

  /** {@code changed} differs from {@code original} in exactly the named components. */
  public static <R extends Record> void assertChangedOnly(R original, R changed, String... names) {
    Set<String> named = Set.of(names);
    List<String> wrong = new ArrayList<>();
    for (RecordComponent c : original.getClass().getRecordComponents()) {
      boolean same = value(c, original).equals(value(c, changed));
      if (same == named.contains(c.getName())) {
        wrong.add(c.getName() + (same ? " did not change" : " changed"));
      }
    }
    assertTrue(wrong.isEmpty(), () -> "expected only " + named + " to change: " + wrong);
  }

  private static Object value(RecordComponent c, Record r) {
    Object v = invoke(c.getAccessor(), r);
    return v == null ? "<null>" : v;
  }

  private static void set(Object builder, RecordComponent c, Object value) {
    Method setter;
    try {
      setter = builder.getClass().getMethod(c.getName(), c.getType());
    } catch (NoSuchMethodException e) {
      throw new AssertionError(builder.getClass().getName() + " has no setter " + c.getName() + "(" + c.getType() + ")");
    }
    assertEquals(builder.getClass(), setter.getReturnType(), c.getName() + " must return the builder, for chaining");
    invoke(setter, builder, "<null>".equals(value) ? null : value);
  }

  @SuppressWarnings("unchecked")
  private static <R> R build(Object builder) {
    return (R) invoke(builder, "build");
  }

  private static Object invoke(Object target, String method) {
    return invoke(target.getClass(), target, method);
  }

  private static Object invoke(Class<?> type, Object target, String method) {
    try {
      return invoke(type.getMethod(method), target);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(type.getName() + " has no " + method + "()", e);
    }
  }

  private static Object invoke(Method method, Object target, Object... args) {
    try {
      return method.invoke(target, args);
    } catch (IllegalAccessException e) {
      throw new AssertionError(method + " must be public", e);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method + " threw", e.getCause());
    }
  }
}
