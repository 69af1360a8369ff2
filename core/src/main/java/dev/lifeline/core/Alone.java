package dev.lifeline.core;

/** {@link LoopLeases} of a server with no replicas: every loop is its own. */
enum Alone implements LoopLeases {
    INSTANCE;

    @Override
    public boolean hold(String loop) {
        return true;
    }

    @Override
    public void close() {}
}
