package dev.lifeline.core;

/** An audit-trail entry as read back, with the id the store gave it (increasing in order of recording). */
public record StoredActivity(long id, Activity activity) {}
