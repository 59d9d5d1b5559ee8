/**
 * Test doubles and port contracts for the core, shipped in the core's test-jar.
 *
 * <p>{@code InMemory*} stores, {@link dev.postbackrelay.testing.RecordingConversionQueue},
 * {@link dev.postbackrelay.testing.RecordingDeliveryQueue},
 * {@link dev.postbackrelay.testing.ScriptedPostbackSender} and
 * {@link dev.postbackrelay.testing.MutableClock} stand in for the adapters;
 * {@link dev.postbackrelay.testing.CoreFixture} wires the whole core to them.
 *
 * <p>Each storage port has an abstract {@code *Contract} test. Run it against a real store by
 * extending it and implementing its factory method; the store may be shared by every test of
 * the class (each test uses fresh ids). The in-memory versions are the {@code InMemory*ContractTest}
 * classes, so the fakes are held to the same contract as the real stores.
 */
package dev.postbackrelay.testing;
