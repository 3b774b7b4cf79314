package io.github.bert4j.bert.onnx;

/**
 * An ONNX file that cannot be read, or a graph that is not a BERT encoder bert4j can map: the
 * message names the file and what was expected (the op, initializer or shape that did not fit).
 */
public final class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
