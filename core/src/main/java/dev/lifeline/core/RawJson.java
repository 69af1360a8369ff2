package dev.lifeline.core;

/** A JSON document kept as text (an agent card), embedded as-is when events are serialised. */
public record RawJson(String json) {}
