package dev.lifeline.core;

import java.time.Instant;

/** An event as subscribers see it: what happened and when. */
public record PublishedEvent(WorkspaceEvent event, Instant at) {}
