package dev.lifeline.core;

/**
 * What an event carries of an agent's answer, so that one answer is never copied whole to every
 * subscriber: the answer as a parsed JSON value when it is small and exactly one JSON value, else
 * its text (cut to its first bytes when it is large); and the whole answer's size.
 *
 * @param body a JSON tree (maps, lists, strings, numbers, booleans) or the answer's text
 * @param size the whole answer's size in bytes
 * @param truncated whether {@code body} is only the first part of the answer's text
 */
public record AnswerPreview(Object body, long size, boolean truncated) {}
