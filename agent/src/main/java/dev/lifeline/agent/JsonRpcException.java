package dev.lifeline.agent;

/** A request the agent answers with a JSON-RPC error object (HTTP 200); the message reaches the client. */
final class JsonRpcException extends RuntimeException {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int TASK_NOT_FOUND = -32001;

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String rpcMessage;

    JsonRpcException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.rpcMessage = message;
    }

    static JsonRpcException invalidParams(String message) {
        return new JsonRpcException(INVALID_PARAMS, message);
    }

    int code() {
        return code;
    }

    /** The {@code error.message} the client sees. */
    String rpcMessage() {
        return rpcMessage;
    }
}
